package dev.trawl.core.row;


import java.time.Instant;

/** What fetching one URL came to, after every attempt. */
public record FetchOutcome(
        RowStatus status,
        Integer httpStatus,
        String finalUrl,
        String contentType,
        long bytes,
        long elapsedMs,
        int attempts,
        Instant fetchedAt,
        String errorCode,
        String errorMessage) {
}
