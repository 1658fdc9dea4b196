package dev.trawl.core.submit;

import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.WorkQueue;
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

    /** @param secrets seals webhook secrets (null where no job with a webhook is made) */
    NewJobs(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Secrets secrets, Clock clock) {
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
            if (idempotency == null) {
                jobs.create(job);
            } else if (keys.createOnce(job, idempotency.key(), idempotency.fingerprint(), now,
                    now.plus(Idempotency.WINDOW)) instanceof IdempotencyKeys.IdempotentCreate.Taken taken) {
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
}
