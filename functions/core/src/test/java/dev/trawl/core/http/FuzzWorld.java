package dev.trawl.core.http;

import dev.trawl.core.input.ChunkEntry;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryUploadStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh service on in-memory ports, holding a job of the tenant in every state (the completed one with a result
 * and an errored URL to retry), uploads in every state, and a job of another tenant: so that generated ids and
 * cursors can name things that exist, not only things that do not.
 */
final class FuzzWorld {
    static final String TENANT = "tenant-a";
    static final String OTHER_TENANT = "tenant-b";
    static final byte[] CURSOR_KEY = "api-fuzz-test-cursor-key-32bytes".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");

    final InMemoryJobStore jobs = new InMemoryJobStore();
    final InMemoryBlobStore blobs = new InMemoryBlobStore();
    final InMemoryUploadStore uploads = new InMemoryUploadStore();
    final RecordingWorkQueue queue = new RecordingWorkQueue();
    final MutableClock clock = new MutableClock(NOW);
    final Cursors cursors = new Cursors(CURSOR_KEY);
    final HttpApi api = HttpApi.over(jobs, jobs, jobs, jobs, uploads, blobs, queue, null, null, cursors, clock);
    final Map<JobStatus, String> jobIds = new EnumMap<>(JobStatus.class);
    final Map<UploadStatus, String> uploadIds = new EnumMap<>(UploadStatus.class);
    final String otherTenantsJob;
    private final Ids ids = new Ids(clock);

    FuzzWorld() {
        for (JobStatus status : JobStatus.values()) {
            jobIds.put(status, job(TENANT, status));
        }
        otherTenantsJob = job(OTHER_TENANT, JobStatus.COMPLETED);
        for (UploadStatus status : UploadStatus.values()) {
            uploadIds.put(status, upload(status));
        }
    }

    /** Every id that exists, this tenant's and the other's. */
    List<String> knownIds() {
        List<String> known = new ArrayList<>(jobIds.values());
        known.addAll(uploadIds.values());
        known.add(otherTenantsJob);
        return known;
    }

    /** A cursor this service would issue to the tenant. */
    String cursor() {
        return cursors.encode(TENANT, jobIds.get(JobStatus.RUNNING));
    }

    private String job(String tenant, JobStatus status) {
        String id = ids.next("job_");
        JobBuilder job = JobBuilder.from(Job.accepted(id, tenant, "seeded " + status.wire(), NOW,
                JobInput.inline(BucketLayout.input(id)), JobSettings.DEFAULTS, null)).status(status);
        if (status != JobStatus.QUEUED) {
            job.startedAt(NOW).urlsTotal(1L).chunksTotal(1).phases(PhaseState.DONE, PhaseState.RUNNING, PhaseState.PENDING);
        }
        if (status == JobStatus.CANCELLING || status == JobStatus.CANCELLED) {
            job.stopReason(StopReason.CANCELLED);
        }
        if (status.terminal()) {
            job.completedAt = NOW;
            job.phases(PhaseState.DONE, PhaseState.DONE, PhaseState.DONE);
        }
        if (status == JobStatus.COMPLETED) {
            job.resultParts(List.of(new ResultPart("results/" + tenant + "/" + id + "/part-1.ndjson",
                    "https://blobs.test/r", NOW.plusSeconds(60), 10, 1, "00")));
        }
        jobs.put(job.build());
        if (status == JobStatus.COMPLETED) {
            oneErroredUrl(tenant, id);
        }
        return id;
    }

    /** The job's one chunk, its one URL ended in error: what {@code retry} reads. */
    private void oneErroredUrl(String tenant, String id) {
        try {
            blobs.putText(BucketLayout.chunk(id, 0), new ChunkEntry(1, Json.parse("\"https://example.com/e\"")).toLine() + "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String part = BucketLayout.part(id, 0, "w0");
        blobs.putText(part, "{\"line\":1,\"status\":\"error\"}\n");
        jobs.commitChunk(tenant, id, new ChunkResult(0, 1, part, Counters.ZERO, ChunkStats.NONE), NOW);
    }

    private String upload(UploadStatus status) {
        String id = ids.next("upl_");
        boolean ready = status == UploadStatus.READY;
        uploads.put(new Upload(id, TENANT, "urls.txt", status, NOW, null, ready ? InputFormat.TEXT : null,
                ready ? 20L : null, ready ? 1L : null, ready ? 0L : null,
                status == UploadStatus.INVALID ? new Failure("no_urls", "The file holds no URL.") : null));
        return id;
    }
}
