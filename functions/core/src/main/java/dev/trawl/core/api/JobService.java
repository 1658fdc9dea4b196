package dev.trawl.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.ResultLinks;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.plan.ChunkEntry;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Hashing;
import dev.trawl.core.util.Ids;
import dev.trawl.core.webhook.WebhookDelivery;
import dev.trawl.core.webhook.WebhookEvent;
import dev.trawl.core.webhook.WebhookTask;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ChunkResult;
import dev.trawl.core.work.JobRef;
import dev.trawl.core.work.WorkKeys;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The job use cases behind the API. */
public final class JobService {
    private static final Log LOG = Log.of("api");
    /** How long an Idempotency-Key is remembered. */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /** Links handed out by {@code GET …/results} are fresh and short: the caller just proved its key. */
    static final Duration RESULT_REDIRECT_TTL = Duration.ofMinutes(15);
    private static final int PURGE_PAGE = 100;
    private final JobStore jobs;
    private final UploadStore uploads;
    private final ExternalObjects external;
    private final String serviceBucket;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Clock clock;
    private final Ids ids;

    public JobService(JobStore jobs, UploadStore uploads, BlobStore blobs, WorkQueue queue, Clock clock) {
        this(jobs, uploads, blobs, queue, clock, null, null);
    }

    /**
     * @param external      reads clients' buckets for {@code s3_uri} inputs (null: such inputs are refused)
     * @param serviceBucket the service's own bucket, of which a tenant may name only its own upload prefix
     */
    public JobService(JobStore jobs, UploadStore uploads, BlobStore blobs, WorkQueue queue, Clock clock,
                      ExternalObjects external, String serviceBucket) {
        this.external = external;
        this.serviceBucket = serviceBucket;
        this.jobs = jobs;
        this.uploads = uploads;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    public Instant now() {
        return clock.instant();
    }

    /** An Idempotency-Key with what the request it came with looked like. */
    public record Idempotency(String key, String fingerprint) {
        public static Idempotency of(String key, String route, String body) {
            return key == null ? null : new Idempotency(key, Hashing.sha256Hex(route + "\n" + (body == null ? "" : body)));
        }
    }

    /** What the new job reads, once its id is known: written by the service, or a file already in the bucket. */
    @FunctionalInterface
    private interface InputSource {
        JobInput prepare(String jobId) throws IOException;
    }

    @FunctionalInterface
    private interface EntryWriter {
        /** Writes the new job's input entries; returns how many. */
        long write(Writer out) throws IOException;
    }

    /** Records the job as {@code queued} and asks for it to be planned; its input comes from the request. */
    public Job create(String tenant, CreateJobRequest request, Idempotency idempotency) {
        if (request.uploadId() != null) {
            Upload upload = readyUpload(tenant, request.uploadId());
            return createJob(tenant, request.name(), request.settings(), null, idempotency, upload.urlCount(),
                    id -> JobInput.upload(upload.key(), upload.format(), upload.id()));
        }
        if (request.s3() != null) {
            JobInput input = s3Input(tenant, request.s3(), request.roleArn());
            return createJob(tenant, request.name(), request.settings(), null, idempotency, null, id -> input);
        }
        return createJob(tenant, request.name(), request.settings(), null, idempotency, null, id -> writeEntries(id, out -> {
            for (JsonNode entry : request.entries()) {
                out.write(Json.write(entry));
                out.write('\n');
            }
            return request.entries().size();
        }));
    }

    /** A job for a file dropped into the tenant's inbox, with the default settings, named after the file. */
    public Job createFromInbox(String tenant, String key, String etag) {
        String name = key.substring(key.indexOf('/', key.indexOf('/') + 1) + 1);
        // S3 may notify twice: the object's key and version make the notification's own idempotency key.
        Idempotency idempotency = Idempotency.of("inbox:" + key + ":" + etag, "inbox", key);
        return createJob(tenant, name.length() > 256 ? name.substring(0, 256) : name, JobSettings.DEFAULTS, null,
                idempotency, null, id -> JobInput.inbox(key));
    }

    /**
     * A client's object as input. The service's own bucket is refused but for the tenant's own upload prefix, so no
     * tenant reads another's files, nor the service's; any other bucket is read only as a role of the client's,
     * assumed with the tenant as external id, and must be readable now.
     */
    private JobInput s3Input(String tenant, CreateJobRequest.S3Location location, String roleArn) {
        if (external == null || serviceBucket == null) {
            throw ApiError.invalid("input.s3_uri", "input.s3_uri is not available on this deployment.");
        }
        if (location.bucket().equals(serviceBucket)) {
            if (roleArn != null || !location.key().startsWith("uploads/" + tenant + "/")) {
                throw ApiError.invalid("input.s3_uri", "The service's own bucket is not an input, but for your own "
                        + "uploads (s3://" + serviceBucket + "/uploads/" + tenant + "/…).");
            }
            return JobInput.s3(serviceBucket, location.key(), null);
        }
        if (roleArn == null) {
            // Read as the service, any bucket that trusts the service would be open to every tenant.
            throw ApiError.invalid("input.role_arn", "input.role_arn is required for a bucket of your own: name a role of "
                    + "yours that the service may assume, with your tenant id as its external id.");
        }
        try {
            external.check(location.bucket(), location.key(), roleArn, tenant);
        } catch (IOException e) {
            throw new ApiError(422, "input_unreadable", e.getMessage(), "input.s3_uri");
        }
        return JobInput.s3(location.bucket(), location.key(), roleArn);
    }

    private Upload readyUpload(String tenant, String uploadId) {
        Upload upload = uploads.find(tenant, uploadId).orElseThrow(() ->
                new ApiError(404, "not_found", "No upload with this id.", "input.upload_id"));
        return switch (upload.status()) {
            case READY -> upload;
            case INVALID -> throw new ApiError(422, "upload_invalid", "The upload is invalid: "
                    + (upload.error() == null ? "see GET /v1/uploads/" + uploadId : upload.error().message()), "input.upload_id");
            default -> throw new ApiError(409, "upload_not_ready", "The upload is still " + upload.status().wire()
                    + "; create the job once GET /v1/uploads/" + uploadId + " says ready.", "input.upload_id");
        };
    }

    private JobInput writeEntries(String jobId, EntryWriter entries) throws IOException {
        String key = WorkKeys.input(jobId);
        try (BlobStore.Upload upload = blobs.create(key, "application/x-ndjson")) {
            Writer writer = new OutputStreamWriter(upload.stream(), StandardCharsets.UTF_8);
            if (entries.write(writer) == 0) {
                throw new ApiError(422, "nothing_to_retry", "The job has no URL that ended in error.", null);
            }
            writer.flush();
            upload.commit();
        }
        return JobInput.inline(key);
    }

    private Job createJob(String tenant, String name, JobSettings settings, String retryOf, Idempotency idempotency,
                          Long urlsTotal, InputSource source) {
        for (int attempt = 0; ; attempt++) {
            String id = ids.next("job_");
            JobInput input;
            try {
                input = source.prepare(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Instant now = clock.instant();
            Job job = Job.accepted(id, tenant, name, now, input, settings, retryOf).withUrlsTotal(urlsTotal);
            if (idempotency == null) {
                jobs.create(job);
            } else if (jobs.createOnce(job, idempotency.key(), idempotency.fingerprint(), now,
                    now.plus(IDEMPOTENCY_WINDOW)) instanceof JobStore.IdempotentCreate.Taken taken) {
                blobs.deletePrefix(WorkKeys.workPrefix(id));
                if (!taken.fingerprint().equals(idempotency.fingerprint())) {
                    throw new ApiError(409, "idempotency_conflict",
                            "This Idempotency-Key was used with a different request in the last 24 hours.", null);
                }
                Optional<Job> earlier = jobs.find(tenant, taken.jobId());
                if (earlier.isPresent()) {
                    if (earlier.get().status() == JobStatus.QUEUED && earlier.get().planState() == PhaseState.PENDING) {
                        // The first request may have failed after storing the job but before asking for its plan
                        // (its client saw a 5xx and sent it again): ask again; planning twice changes nothing.
                        queue.requestPlan(new JobRef(tenant, taken.jobId()));
                    }
                    return earlier.get();
                }
                if (attempt > 0) {
                    throw new IllegalStateException("idempotency key still points at a removed job");
                }
                jobs.forgetIdempotencyKey(tenant, idempotency.key(), taken.jobId());
                continue;
            }
            queue.requestPlan(new JobRef(tenant, id));
            LOG.info(id, "job created", "tenant", tenant, "input", input.type(), "retry_of", retryOf);
            return job;
        }
    }

    public Optional<Job> find(String tenant, String jobId) {
        return jobs.find(tenant, jobId);
    }

    public JobStore.JobPage list(String tenant, JobStore.JobQuery query) {
        return jobs.list(tenant, query);
    }

    /** The job after the request: {@code cancelling} when it was live, unchanged when terminal. */
    public Optional<Job> cancel(String tenant, String jobId) {
        if (jobs.cancel(tenant, jobId, clock.instant())) {
            LOG.info(jobId, "cancel requested");
        }
        return jobs.find(tenant, jobId);
    }

    /** Removes a terminal job's result and work files, then its record. */
    public JobStore.Purge purge(String tenant, String jobId) {
        Optional<Job> job = jobs.find(tenant, jobId);
        if (job.isEmpty()) {
            return JobStore.Purge.ABSENT;
        }
        if (!job.get().status().terminal()) {
            return JobStore.Purge.ACTIVE;
        }
        // Files first: a crash then leaves a record that a second purge removes, never files nothing points to.
        blobs.deletePrefix(WorkKeys.resultPrefix(tenant, jobId));
        blobs.deletePrefix(WorkKeys.workPrefix(jobId));
        JobStore.Purge purged = jobs.purge(tenant, jobId);
        LOG.info(jobId, "job removed", "outcome", purged.name());
        return purged;
    }

    /** Removes every job of the tenant that is in one of {@code statuses} (terminal ones only) when read. */
    public long purgeAll(String tenant, Set<JobStatus> statuses) {
        if (statuses.stream().anyMatch(s -> !s.terminal())) {
            throw new IllegalArgumentException("only terminal jobs are removed");
        }
        long removed = 0;
        String before = null;
        do {
            JobStore.JobPage page = jobs.list(tenant, new JobStore.JobQuery(statuses, null, PURGE_PAGE, before));
            for (Job job : page.jobs()) {
                if (job.status().terminal() && purge(tenant, job.id()) == JobStore.Purge.REMOVED) {
                    removed++;
                }
            }
            before = page.nextBeforeId();
        } while (before != null);
        return removed;
    }

    /** A new job of exactly the entries that ended in error, in their order, with the original's settings. */
    public Job retry(String tenant, String jobId, Idempotency idempotency) {
        Job original = jobs.find(tenant, jobId).orElseThrow(() -> ApiError.notFound("No job with this id."));
        if (!original.status().terminal()) {
            throw new ApiError(409, "job_active", "The job is still " + original.status().wire()
                    + "; retry it once it has ended.", null);
        }
        try {
            return createJob(tenant, original.name(), original.settings(), original.id(), idempotency, null,
                    id -> writeEntries(id, out -> writeErroredEntries(original, out)));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileNotFoundException) {
                throw new ApiError(422, "retry_unavailable",
                        "The job's work files have expired; submit its URLs as a new job.", null);
            }
            throw e;
        }
    }

    private long writeErroredEntries(Job original, Writer writer) throws IOException {
        long written = 0;
        for (ChunkResult chunk : jobs.committedChunks(original.id())) {
            try (BufferedReader entries = reader(WorkKeys.chunk(original.id(), chunk.chunk()));
                 BufferedReader rows = reader(chunk.partKey())) {
                String entryLine;
                while ((entryLine = entries.readLine()) != null) {
                    if (entryLine.isEmpty()) {
                        continue;
                    }
                    String rowLine = rows.readLine();
                    if (rowLine == null) {
                        throw new IOException("part of chunk " + chunk.chunk() + " has fewer rows than entries");
                    }
                    if ("error".equals(Json.read(rowLine, JsonNode.class).path("status").asText())) {
                        writer.write(Json.write(ChunkEntry.fromLine(entryLine).entry()));
                        writer.write('\n');
                        written++;
                    }
                }
            }
        }
        return written;
    }

    private BufferedReader reader(String key) throws IOException {
        return new BufferedReader(new InputStreamReader(blobs.open(key), StandardCharsets.UTF_8));
    }

    public Optional<JobMetrics> metrics(String tenant, String jobId) {
        return jobs.metrics(tenant, jobId);
    }

    /** The most attempts {@code GET …/webhook-deliveries} lists: the latest ones. */
    static final int MAX_DELIVERIES_LISTED = 100;

    public List<WebhookDelivery> deliveries(Job job) {
        return job.settings().webhook() == null ? List.of() : jobs.deliveries(job.tenant(), job.id(), MAX_DELIVERIES_LISTED);
    }

    /**
     * Queues the job's terminal event again, as a new run of attempts numbered after the last; 409 while the job
     * runs or when it has no webhook.
     *
     * @return the event's id, the same as every earlier attempt's
     */
    public String redeliver(Job job) {
        if (!job.status().terminal()) {
            throw new ApiError(409, "job_active", "The job is still " + job.status().wire()
                    + "; its event is sent when it ends.", null);
        }
        if (job.settings().webhook() == null) {
            throw new ApiError(409, "no_webhook", "The job was created without a webhook; there is no event to send.", null);
        }
        List<WebhookDelivery> past = jobs.deliveries(job.tenant(), job.id(), MAX_DELIVERIES_LISTED);
        int attempt = past.stream().mapToInt(WebhookDelivery::attempt).max().orElse(0) + 1;
        queue.sendWebhook(WebhookTask.first(job.tenant(), job.id(), attempt, clock.instant()), Duration.ZERO);
        return WebhookEvent.id(job.id());
    }

    /** The job with its result links signed now: see {@link FreshLinks}. */
    public Job withFreshLinks(Job job) {
        return FreshLinks.of(job, blobs, clock.instant());
    }

    /** A fresh signed link to the first result part; 409 while the job runs, 404 when it has no result. */
    public URI resultLink(String tenant, String jobId) {
        Job job = jobs.find(tenant, jobId).orElseThrow(() -> ApiError.notFound("No job with this id."));
        if (!job.status().terminal()) {
            throw new ApiError(409, "job_active", "The job is still " + job.status().wire() + "; its result is not written yet.", null);
        }
        List<ResultPart> parts = job.resultParts();
        if (parts == null || parts.isEmpty()) {
            throw ApiError.notFound("The job has no result.");
        }
        Duration ttl = RESULT_REDIRECT_TTL.compareTo(Duration.ofSeconds(job.settings().downloadUrlTtlSeconds())) < 0
                ? RESULT_REDIRECT_TTL : Duration.ofSeconds(job.settings().downloadUrlTtlSeconds());
        return blobs.presignGet(parts.getFirst().key(), ttl);
    }
}
