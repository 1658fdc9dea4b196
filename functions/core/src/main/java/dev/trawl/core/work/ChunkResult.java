package dev.trawl.core.work;

import dev.trawl.core.job.Counters;
import dev.trawl.core.metrics.ChunkStats;

/** A committed chunk: where its rows are, what they count, and what they add to the job's metrics. */
public record ChunkResult(int chunk, long rows, String partKey, Counters counters, ChunkStats stats) {
}
