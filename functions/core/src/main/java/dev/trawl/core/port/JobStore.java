package dev.trawl.core.port;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.webhook.WebhookDelivery;
import dev.trawl.core.work.ChunkResult;
import dev.trawl.core.work.JobRef;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Jobs and their chunk commits. Every job is keyed by its tenant: no call reaches another tenant's job. */
public interface JobStore {

    /** Stores a new job; its id must be new. */
    void create(Job job);

    /**
     * Stores a new job under an idempotency key, atomically: either both are stored, or the key is already taken
     * (and not expired at {@code now}) and the job is not stored.
     */
    IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now, Instant keyExpiresAt);

    /** Frees an idempotency key that points at {@code jobId}, a job that no longer exists. */
    void forgetIdempotencyKey(String tenant, String idempotencyKey, String jobId);

    sealed interface IdempotentCreate {
        record Created() implements IdempotentCreate {
        }

        record Taken(String jobId, String fingerprint) implements IdempotentCreate {
        }
    }

    Optional<Job> find(String tenant, String jobId);

    /**
     * The tenant's jobs, newest first, with ids below {@code query.beforeId()} when given. The cost of a page is
     * bounded whatever the number of the tenant's jobs; with a name filter a page may be short, but its
     * {@code nextBeforeId} is null only when no matching job is left.
     */
    JobPage list(String tenant, JobQuery query);

    /** @param statuses null for every status */
    record JobQuery(Set<JobStatus> statuses, String namePrefix, int limit, String beforeId) {
    }

    record JobPage(List<Job> jobs, String nextBeforeId) {
    }

    /**
     * Records the plan's counts: a {@code queued} job becomes {@code running}; a job cancelled before it was
     * planned stays {@code cancelling}. False when the job was planned before.
     */
    boolean markPlanned(String tenant, String jobId, long urlsTotal, long urlsFiltered, int chunksTotal, Instant now);

    /** Ends a job that was never planned as {@code failed}, before any fetch; false if it was planned or ended. */
    boolean failPlanning(String tenant, String jobId, Failure failure, Instant now);

    /**
     * Records a chunk's (or segment's) outcome and adds its counters and metrics to the job, in one transaction keyed
     * by the chunk and the segment's start, so that it counts once however often it is delivered. Only a segment that
     * completes its chunk adds to {@code chunks_done}.
     */
    ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now);

    /** The segment of {@code chunk} committed from line offset {@code start} (0 for a whole chunk). */
    Optional<ChunkResult> committedChunk(String jobId, int chunk, int start);

    /** The job's committed chunks (and segments) in chunk and line order, read page by page as the caller iterates. */
    Iterable<ChunkResult> committedChunks(String jobId);

    /** Keeps the fetch-time maximum; idempotent, so outside the commit. */
    void recordMaxFetchMs(String tenant, String jobId, long millis);

    /** Takes a new progress sample for {@code eta_s} when the last one is older than {@code minAge} seconds. */
    void sampleProgress(String tenant, String jobId, Instant now, long minAgeSeconds);

    /** Claims finalize: succeeds once, when every chunk is committed and finalize is still pending. */
    boolean claimFinalize(String tenant, String jobId, Instant now);

    /** Undoes {@link #claimFinalize} when the finalize request could not be sent, so that it can be claimed again. */
    void releaseFinalize(String tenant, String jobId);

    /** {@code queued} or {@code running} → {@code cancelling}; false when the job was in neither state. */
    boolean cancel(String tenant, String jobId, Instant now);

    /** Stops a {@code queued} or {@code running} job that outlived its {@code max_lifetime_s}. */
    boolean expire(String tenant, String jobId, Instant now);

    /** Stops the job for errors when more than {@code allowedErrors} URLs have ended in error and nothing stops it yet. */
    boolean stopForErrors(String tenant, String jobId, long allowedErrors, Instant now);

    /** Makes a job that is in {@code expected} state terminal, with its result; false if its state changed. */
    boolean finish(String tenant, String jobId, JobStatus expected, JobStatus terminal, Failure failure,
                   List<ResultPart> parts, Instant now);

    /** Removes a terminal job's record and chunk commits; {@link Purge#ACTIVE} leaves a live job alone. */
    Purge purge(String tenant, String jobId);

    enum Purge { REMOVED, ABSENT, ACTIVE }

    /** Jobs, of any tenant, still live after their deadline, oldest deadline first. */
    List<JobRef> overdue(Instant now, int limit);

    /** Live jobs, of any tenant, whose record has not changed since {@code before}: maybe stalled. At most {@code limit}. */
    List<JobRef> idle(Instant before, int limit);

    /** Marks a live job changed at {@code now}: the reaper drove it on, and waits again before it does so again. */
    void touch(String tenant, String jobId, Instant now);

    Optional<JobMetrics> metrics(String tenant, String jobId);

    /** Keeps one webhook attempt of the job; removed with the job. */
    void recordDelivery(String tenant, String jobId, WebhookDelivery delivery);

    /** The job's most recent webhook attempts, at most {@code limit}, oldest first. */
    List<WebhookDelivery> deliveries(String tenant, String jobId, int limit);

    enum ChunkCommit { COMMITTED, ALREADY_COMMITTED }
}
