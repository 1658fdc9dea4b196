package dev.trawl.core.message;

import dev.trawl.core.job.Counters;
import dev.trawl.core.metrics.ChunkStats;

/**
 * A committed chunk, or a segment of one: where its rows are, what they count, and what they add to the job's
 * metrics. A chunk is usually one segment; a worker that ran out of time commits the lines it finished as a
 * segment and queues the rest, which commits as the next segment (its {@code start} is this one's end).
 *
 * @param start    the offset in the chunk's lines of this segment's first row
 * @param complete whether this segment ends the chunk
 */
public record ChunkResult(int chunk, int start, long rows, String partKey, Counters counters, ChunkStats stats,
                          boolean complete) {

    /** A whole chunk, committed in one go. */
    public ChunkResult(int chunk, long rows, String partKey, Counters counters, ChunkStats stats) {
        this(chunk, 0, rows, partKey, counters, stats, true);
    }

    /** The offset where the next segment begins. */
    public int end() {
        return start + (int) rows;
    }
}
