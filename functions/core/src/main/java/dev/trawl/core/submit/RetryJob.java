package dev.trawl.core.submit;

import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;
import java.time.Duration;

/**
 * A new job of exactly the entries that ended in error, in their order, with the original's settings. The request
 * does only what costs the same for any size of job, from the original's record alone: terminal, with errored URLs by
 * its counters, its work files still kept; the API reads no work file (its policy does not allow it). The new job is stored {@code queued} with a
 * {@code retry} input, and the planner reads the errored entries from the original's chunk files and committed
 * parts as it cuts the retry's chunks ({@code dev.trawl.core.plan.RetryInput}).
 */
public final class RetryJob {
    /** How long a job's work files are kept: the template's {@code expire-work-files} lifecycle rule. */
    public static final Duration WORK_FILES_KEPT = Duration.ofDays(14);
    private final JobStore jobs;
    private final Clock clock;
    private final Secrets secrets;
    private final NewJobs newJobs;

    public RetryJob(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Secrets secrets, Clock clock) {
        this(jobs, keys, blobs, queue, secrets, clock, null);
    }

    /** @param tenants the tenants' ceilings on live jobs (null: none) */
    public RetryJob(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Secrets secrets, Clock clock,
                    TenantSettingsCache tenants) {
        this.jobs = jobs;
        this.clock = clock;
        this.secrets = secrets;
        this.newJobs = new NewJobs(jobs, keys, blobs, queue, secrets, clock, tenants);
    }

    /** The retry's webhook, if any, is the original's: the same URL and secret (opened, and sealed for the retry). */
    public Submitted retry(String tenant, String jobId, Idempotency idempotency) {
        Job original = jobs.find(tenant, jobId).orElseThrow(() -> new NotFound("No job with this id."));
        if (!original.status().terminal()) {
            throw new Conflict("job_active", "The job is still " + original.status().wire()
                    + "; retry it once it has ended.");
        }
        if (original.counters().errored() == 0) {
            throw new Unprocessable("nothing_to_retry", "The job has no URL that ended in error.", null);
        }
        requireWorkFiles(original);
        Webhook webhook = original.settings().webhook();
        JobSettings settings = webhook == null ? original.settings()
                : original.settings().withWebhook(webhook.withSecret(secrets.open(webhook.secret(), original.id())));
        return newJobs.submit(tenant, original.name(), settings, original.id(), idempotency, null,
                id -> JobInput.retry(BucketLayout.workPrefix(original.id())));
    }

    /**
     * The original's chunk files and parts are kept {@link #WORK_FILES_KEPT} from their writing (the bucket's
     * {@code expire-work-files} rule), so all of them exist until that long after the job's creation; a retry is
     * taken up to a day less, which leaves its plan the time to read them. Decided from the record, not by reading.
     */
    private void requireWorkFiles(Job original) {
        if (!clock.instant().isBefore(original.createdAt().plus(WORK_FILES_KEPT).minus(Duration.ofDays(1)))) {
            throw new Unprocessable("retry_unavailable", "The job's work files have expired (they are kept "
                    + WORK_FILES_KEPT.toDays() + " days); submit its URLs as a new job.", null);
        }
    }
}
