package dev.trawl.core.work;

import dev.trawl.core.job.Counters;

/** A committed chunk: where its rows are and what they count. */
public record ChunkResult(int chunk, long firstLine, long rows, String partKey, Counters counters) {
}
