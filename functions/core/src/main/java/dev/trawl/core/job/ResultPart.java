package dev.trawl.core.job;

import java.time.Instant;

/** One file of a job's result; {@code key} is internal, {@code url} the signed link given to the client. */
public record ResultPart(String key, String url, Instant urlExpiresAt, long bytes, long rows, String sha256) {
}
