package dev.trawl.core.http;

import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Json;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.NOW;

/**
 * A fresh service on in-memory ports (the route tests' {@link ApiFixture}), holding a job of the tenant in every state
 * (the completed one with a result and an errored URL to retry), uploads in every state, and a job of another tenant:
 * so that generated ids and cursors can name things that exist, not only things that do not.
 */
final class FuzzWorld {
    static final String TENANT = ApiFixture.TENANT_A;
    static final String OTHER_TENANT = ApiFixture.TENANT_B;

    final ApiFixture api = new ApiFixture();
    final Map<JobStatus, String> jobIds = new EnumMap<>(JobStatus.class);
    final Map<UploadStatus, String> uploadIds = new EnumMap<>(UploadStatus.class);
    final String otherTenantsJob;

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
        return api.cursors.encode(TENANT, jobIds.get(JobStatus.RUNNING));
    }

    private String job(String tenant, JobStatus status) {
        String id = api.newId("job_");
        JobBuilder job = ApiFixture.inState(Job.accepted(id, tenant, "seeded " + status.wire(), NOW,
                JobInput.inline(BucketLayout.input(id)), JobSettings.DEFAULTS, null), status, 1);
        if (status == JobStatus.COMPLETED) {
            job.resultParts(List.of(new ResultPart("results/" + tenant + "/" + id + "/part-1.ndjson", 10, 1, "00")));
        }
        api.jobs.put(job.build());
        if (status == JobStatus.COMPLETED) {
            oneErroredUrl(tenant, id);
        }
        return id;
    }

    /** The job's one chunk, its one URL ended in error: what {@code retry} reads. */
    private void oneErroredUrl(String tenant, String id) {
        try {
            api.blobs.putText(BucketLayout.chunk(id, 0), new InputEntry(1, Json.parse("\"https://example.com/e\"")).toLine() + "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String part = BucketLayout.part(id, 0, "w0");
        api.blobs.putText(part, "{\"line\":1,\"status\":\"error\"}\n");
        api.jobs.commitChunk(tenant, id, new ChunkResult(0, 1, part, Counters.ZERO, ChunkStats.NONE), NOW);
    }

    private String upload(UploadStatus status) {
        String id = api.newId("upl_");
        boolean ready = status == UploadStatus.READY;
        api.uploads.put(new Upload(id, TENANT, "urls.txt", status, NOW, null, ready ? InputFormat.TEXT : null,
                ready ? 20L : null, ready ? 1L : null, ready ? 0L : null,
                status == UploadStatus.INVALID ? new Failure("no_urls", "The file holds no URL.") : null));
        return id;
    }
}
