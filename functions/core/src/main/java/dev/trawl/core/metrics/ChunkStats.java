package dev.trawl.core.metrics;

import dev.trawl.core.row.ResultRow;

import java.util.HashMap;
import java.util.Map;

/**
 * What a chunk's rows add to the job's metrics; committed with the chunk, so counted once.
 *
 * @param httpClasses final HTTP status counts by class ({@code 2xx} … {@code 5xx})
 * @param errors      error rows by {@code error.code}
 * @param latency     histogram buckets of the fetch times of rows that were fetched
 */
public record ChunkStats(Map<String, Long> httpClasses, Map<String, Long> errors, long bytesFetched, long attempts,
                         Map<Integer, Long> latency, long maxFetchMs) {

    public static final ChunkStats NONE = new ChunkStats(Map.of(), Map.of(), 0, 0, Map.of(), 0);

    public static ChunkStats of(Iterable<ResultRow> rows) {
        Map<String, Long> classes = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        LatencyHistogram latency = new LatencyHistogram();
        long bytes = 0;
        long attempts = 0;
        long max = 0;
        for (ResultRow row : rows) {
            var outcome = row.outcome();
            if (outcome.httpStatus() != null && outcome.httpStatus() >= 200 && outcome.httpStatus() < 600) {
                classes.merge(outcome.httpStatus() / 100 + "xx", 1L, Long::sum);
            }
            if (outcome.errorCode() != null && row.status() == dev.trawl.core.row.RowStatus.ERROR) {
                errors.merge(outcome.errorCode(), 1L, Long::sum);
            }
            bytes += outcome.bytes();
            attempts += outcome.attempts();
            if (outcome.attempts() > 0) {
                latency.record(outcome.elapsedMs());
                max = Math.max(max, outcome.elapsedMs());
            }
        }
        return new ChunkStats(Map.copyOf(classes), Map.copyOf(errors), bytes, attempts, latency.counts(), max);
    }
}
