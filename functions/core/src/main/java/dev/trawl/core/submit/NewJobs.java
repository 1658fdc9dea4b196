package dev.trawl.core.submit;

import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.TooMany;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Log;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * How every new job comes to be, whatever asked for it: stored as {@code queued} (once per Idempotency-Key), then its
 * plan requested. Creating, retrying and inbox drops differ only in where the input comes from.
 */
final class NewJobs {
    private static final Log LOG = Log.of("api");
    private final JobStore jobs;
    private final IdempotencyKeys keys;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Secrets secrets;
    private final Clock clock;
    private final Ids ids;
    private final TenantSettingsCache tenants;

    /** @param secrets seals webhook secrets (null where no job with a webhook is made) */
    NewJobs(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Secrets secrets, Clock clock) {
        this(jobs, keys, blobs, queue, secrets, clock, null);
    }

    /** @param tenants the tenants' ceilings on live jobs (null: none, the jobs are still counted) */
    NewJobs(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Secrets secrets, Clock clock,
            TenantSettingsCache tenants) {
        this.tenants = tenants;
        this.jobs = jobs;
        this.keys = keys;
        this.blobs = blobs;
        this.queue = queue;
        this.secrets = secrets;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** What the new job reads, once its id is known: written by the service, or a file already in the bucket. */
    @FunctionalInterface
    interface InputSource {
        JobInput prepare(String jobId) throws IOException;
    }

    @FunctionalInterface
    interface EntryWriter {
        /** Writes the new job's input entries; returns how many. */
        long write(Writer out) throws IOException;
    }

    /** The settings as stored: the webhook secret sealed for this job alone. */
    private JobSettings sealed(JobSettings settings, String jobId) {
        if (settings.webhook() == null) {
            return settings;
        }
        if (secrets == null) {
            throw new IllegalStateException("no secrets port to seal a webhook secret with");
        }
        return settings.withWebhook(settings.webhook().withSecret(secrets.seal(settings.webhook().secret(), jobId)));
    }

    /** A job found again: its secret opened, to be shown as the first answer showed it. */
    private Submitted shown(Job job) {
        if (job.settings().webhook() == null) {
            return new Submitted(job, null);
        }
        return new Submitted(job, secrets.open(job.settings().webhook().secret(), job.id()));
    }

    /** Writes the entries as the job's inline input; a job of none is refused as {@code nothing_to_retry}. */
    JobInput writeEntries(String jobId, EntryWriter entries) throws IOException {
        String key = BucketLayout.input(jobId);
        try (BlobStore.Upload upload = blobs.create(key, "application/x-ndjson")) {
            Writer writer = new OutputStreamWriter(upload.stream(), StandardCharsets.UTF_8);
            if (entries.write(writer) == 0) {
                throw new Unprocessable("nothing_to_retry", "The job has no URL that ended in error.", null);
            }
            writer.flush();
            upload.commit();
        }
        return JobInput.inline(key);
    }

    /**
     * Stores the job, its webhook secret sealed, and asks for its plan. With an Idempotency-Key already taken by the
     * same request, answers the earlier job instead (and asks for its plan again if it may never have been asked for).
     */
    Submitted submit(String tenant, String name, JobSettings settings, String retryOf, Idempotency idempotency,
                     Long urlsTotal, InputSource source) {
        for (int attempt = 0; ; attempt++) {
            String id = ids.next(Ids.JOB);
            JobInput input;
            try {
                input = source.prepare(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Instant now = clock.instant();
            Job job = Job.accepted(id, tenant, name, now, input, sealed(settings, id), retryOf).withUrlsTotal(urlsTotal);
            Ceilings ceilings = tenants == null ? Ceilings.NONE : tenants.of(tenant).limits().ceilings();
            IdempotencyKeys.IdempotentCreate created;
            try {
                if (idempotency == null) {
                    jobs.create(job, ceilings);
                    created = new IdempotencyKeys.IdempotentCreate.Created();
                } else {
                    created = keys.createOnce(job, idempotency.key(), idempotency.fingerprint(), now,
                            now.plus(Idempotency.WINDOW), ceilings);
                }
            } catch (CeilingReached e) {
                if (input.type().equals("inline")) {
                    blobs.deletePrefix(BucketLayout.workPrefix(id)); // the entries written for a job not stored
                }
                LOG.info(null, "job refused at a ceiling", "tenant", tenant, "ceiling", e.kind().name(),
                        "limit", e.limit(), "in_use", e.inUse());
                throw refusal(e, settings.concurrency());
            }
            if (created instanceof IdempotencyKeys.IdempotentCreate.Taken taken) {
                if (input.type().equals("inline")) {
                    blobs.deletePrefix(BucketLayout.workPrefix(id)); // the entries written for a job not stored
                }
                if (!taken.fingerprint().equals(idempotency.fingerprint())) {
                    throw new Conflict("idempotency_conflict",
                            "This Idempotency-Key was used with a different request in the last 24 hours.");
                }
                Optional<Job> earlier = jobs.find(tenant, taken.jobId());
                if (earlier.isPresent()) {
                    if (earlier.get().status() == JobStatus.QUEUED && earlier.get().planState() == PhaseState.PENDING) {
                        // The first request may have failed after storing the job but before asking for its plan
                        // (its client saw a 5xx and sent it again): ask again; planning twice changes nothing.
                        queue.requestPlan(new JobRef(tenant, taken.jobId()));
                    }
                    return shown(earlier.get());
                }
                if (attempt > 0) {
                    throw new IllegalStateException("idempotency key still points at a removed job");
                }
                keys.forget(tenant, idempotency.key(), taken.jobId());
                continue;
            }
            queue.requestPlan(new JobRef(tenant, id));
            LOG.info(id, "job created", "tenant", tenant, "input", input.type(), "retry_of", retryOf);
            return new Submitted(job, settings.webhook() == null ? null : settings.webhook().secret());
        }
    }

    /**
     * Stores a job that ends {@code failed} at once, before any plan (it never counts against a ceiling), under the
     * Idempotency-Key; the job already under the key when it is taken.
     */
    Job storeFailed(String tenant, String name, JobSettings settings, Idempotency idempotency, JobInput input,
                    Failure failure) {
        Instant now = clock.instant();
        String id = ids.next(Ids.JOB);
        Job job = new Job(id, tenant, name, JobStatus.FAILED, now, null, now, now, null,
                Counters.ZERO, 0, input, settings, null, PhaseState.SKIPPED, null, PhaseState.SKIPPED,
                0, PhaseState.SKIPPED, null, failure, null, null);
        if (keys.createOnce(job, idempotency.key(), idempotency.fingerprint(), now, now.plus(Idempotency.WINDOW))
                instanceof IdempotencyKeys.IdempotentCreate.Taken taken) {
            return jobs.find(tenant, taken.jobId()).orElse(job);
        }
        LOG.warn(id, "job failed at creation", "tenant", tenant, "failure", failure.code());
        return job;
    }

    /** A ceiling reached, as the client is told it: which, its value, and how much is in use. */
    static TooMany refusal(CeilingReached e, int concurrency) {
        return switch (e.kind()) {
            case ACTIVE_JOBS -> new TooMany("active_jobs_limit", "This tenant may have at most " + e.limit()
                    + " active jobs (queued, running or cancelling) and has " + e.inUse()
                    + "; create the job once one of them has ended.", null);
            case CONCURRENCY -> new TooMany("concurrency_limit", "This tenant's active jobs may hold at most " + e.limit()
                    + " concurrency together; they hold " + e.inUse() + " and this job asks for " + concurrency
                    + ". Create it once others have ended, or with a lower concurrency.", null);
        };
    }
}
