package dev.trawl.core.port;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.tenant.TenantUsage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Jobs and their state changes. Every job is keyed by its tenant: no call reaches another tenant's job. Each change
 * is conditional on the state it leaves, so that two steps racing on one job cannot both win.
 */
public interface JobStore {

    /** Stores a new job; its id must be new. It counts in its tenant's usage, with no ceiling. */
    default void create(Job job) {
        create(job, Ceilings.NONE);
    }

    /**
     * Stores a new job (its id must be new) and counts it in its tenant's {@link TenantUsage}, atomically, unless that
     * would pass a ceiling. The job leaves the usage in the same write that makes it terminal ({@link #failPlanning},
     * {@link #finish}), exactly once.
     *
     * @throws CeilingReached when the job would pass a ceiling; nothing is stored then
     */
    void create(Job job, Ceilings ceilings);

    /** The tenant's live jobs and the concurrency they hold, as counted by {@link #create(Job, Ceilings)}. */
    TenantUsage usage(String tenant);

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

    /** Claims finalize: succeeds once, when every chunk is committed and finalize is still pending. */
    boolean claimFinalize(String tenant, String jobId, Instant now);

    /**
     * {@link #claimFinalize} on behalf of {@code claimant} (a token naming the caller, e.g. a chunk segment), which
     * the store keeps with the claim: true also when that same claimant has held the claim since
     * {@link #OWN_CLAIM_AGE} before {@code now} or longer, so that a caller whose first answer was lost after the
     * write recognises its own claim on retrying (a redelivery comes a second later at the soonest) and still asks for
     * finalize, while two deliveries of one claimant running at once do not both get it.
     */
    boolean claimFinalize(String tenant, String jobId, String claimant, Instant now);

    /** How old a claimant's own finalize claim must be for {@link #claimFinalize(String, String, String, Instant)} to grant it again. */
    Duration OWN_CLAIM_AGE = Duration.ofSeconds(1);

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

    /**
     * Removes a terminal job's record with everything kept beside it (chunk commits, webhook attempts);
     * {@link Purge#ACTIVE} leaves a live job alone.
     */
    Purge purge(String tenant, String jobId);

    enum Purge { REMOVED, ABSENT, ACTIVE }
}
