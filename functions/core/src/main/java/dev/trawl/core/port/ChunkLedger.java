package dev.trawl.core.port;

import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.JobMetrics;

import java.time.Instant;
import java.util.Optional;

/** The chunks a job has committed, and what they add up to on the job: counters, metrics, progress. */
public interface ChunkLedger {

    /**
     * Records a chunk's (or segment's) outcome and adds its counters and metrics to the job, in one transaction keyed
     * by the chunk and the segment's start, so that it counts once however often it is delivered. Only a segment that
     * completes its chunk adds to {@code chunks_done}.
     */
    ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now);

    enum ChunkCommit { COMMITTED, ALREADY_COMMITTED }

    /** The segment of {@code chunk} committed from line offset {@code start} (0 for a whole chunk). */
    Optional<ChunkResult> committedChunk(String jobId, int chunk, int start);

    /** The job's committed chunks (and segments) in chunk and line order, read page by page as the caller iterates. */
    Iterable<ChunkResult> committedChunks(String jobId);

    /** Keeps the fetch-time maximum; idempotent, so outside the commit. */
    void recordMaxFetchMs(String tenant, String jobId, long millis);

    /** Takes a new progress sample for {@code eta_s} when the last one is older than {@code minAge} seconds. */
    void sampleProgress(String tenant, String jobId, Instant now, long minAgeSeconds);

    /** The sums of the job's committed chunks' metrics; empty when there is no such job. */
    Optional<JobMetrics> metrics(String tenant, String jobId);
}
