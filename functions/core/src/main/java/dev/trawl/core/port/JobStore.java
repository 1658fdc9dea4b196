package dev.trawl.core.port;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.work.ChunkResult;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Jobs and their chunk commits. Every job is keyed by its tenant: no call reaches another tenant's job. */
public interface JobStore {

    /** Stores a new job; its id must be new. */
    void create(Job job);

    Optional<Job> find(String tenant, String jobId);

    /** The tenant's jobs, newest first, after {@code afterJobId} (exclusive) when given. */
    JobPage list(String tenant, int limit, String afterJobId);

    /** Moves a {@code queued} job to {@code running} with its counts; false if it was not {@code queued}. */
    boolean markPlanned(String tenant, String jobId, long urlsTotal, int chunksTotal, Instant now);

    /**
     * Records a chunk's outcome and adds its counters to the job, both in one transaction keyed by the chunk,
     * so that a chunk counts once however often it is delivered.
     */
    ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now);

    Optional<ChunkResult> committedChunk(String jobId, int chunk);

    /**
     * Claims the finalize step: succeeds once, when every chunk is committed and finalize is still pending.
     */
    boolean claimFinalize(String tenant, String jobId, Instant now);

    /** Undoes {@link #claimFinalize} when the finalize request could not be sent, so that it can be claimed again. */
    void releaseFinalize(String tenant, String jobId);

    /** The job's committed chunks in chunk order, read page by page as the caller iterates. */
    Iterable<ChunkResult> committedChunks(String jobId);

    /** Marks a running job {@code completed} with its result; false if it was not running. */
    boolean complete(String tenant, String jobId, List<ResultPart> parts, Instant now);

    enum ChunkCommit { COMMITTED, ALREADY_COMMITTED }

    record JobPage(List<Job> jobs, String lastJobId) {
    }
}
