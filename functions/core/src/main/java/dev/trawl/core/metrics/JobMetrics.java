package dev.trawl.core.metrics;

import java.util.Map;

/** A job's metrics as stored: the sums of its committed chunks' {@link ChunkStats}. */
public record JobMetrics(Map<String, Long> httpClasses, Map<String, Long> errors, long bytesFetched, long attempts,
                         LatencyHistogram latency, Long maxFetchMs) {
}
