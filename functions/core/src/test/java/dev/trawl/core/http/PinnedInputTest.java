package dev.trawl.core.http;

import dev.trawl.core.intake.CheckUpload;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryPlanLeases;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upload's file is pinned when it becomes ready; a job reads that version or fails {@code input_changed}. */
class PinnedInputTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    private static byte[] urls(String site, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "https://" + site + "/" + i)
                .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
    }

    /** An upload whose file arrived and was checked, as the upload trigger does on S3's notification. */
    private Upload readyUpload(byte[] content) throws Exception {
        Upload upload = Upload.pending(api.newId("upl_"), ApiFixture.TENANT_A, "urls.txt", ApiFixture.NOW, (long) content.length);
        api.uploads.create(upload);
        api.blobs.put(upload.key(), content, "text/plain");
        // S3's notification gives the ETag without its quotes
        String notified = InMemoryBlobStore.etagOf(content).replace("\"", "");
        new CheckUpload(api.uploads, api.blobs).check(ApiFixture.TENANT_A, upload.id(), content.length, notified);
        return api.uploads.find(ApiFixture.TENANT_A, upload.id()).orElseThrow();
    }

    private Job createdFrom(Upload upload) throws Exception {
        ApiResponse created = api.post("{\"input\": {\"upload_id\": \"" + upload.id() + "\"}}", ApiFixture.TENANT_A);
        assertEquals(202, created.status(), created.body());
        String id = Json.parse(created.body()).get("id").textValue();
        return api.jobs.find(ApiFixture.TENANT_A, id).orElseThrow();
    }

    private Job planned(Job job) throws Exception {
        new PlanJob(api.jobs, api.jobs, new InMemoryPlanLeases(api.jobs), api.blobs, api.queue, api.clock, 10, null)
                .plan(new JobRef(job.tenant(), job.id()));
        return api.jobs.find(job.tenant(), job.id()).orElseThrow();
    }

    @Test
    void aReadyUploadRecordsItsEtagAndAJobFromItCarriesIt() throws Exception {
        byte[] content = urls("example.com", 25);
        Upload upload = readyUpload(content);
        assertEquals(UploadStatus.READY, upload.status());
        assertEquals(InMemoryBlobStore.etagOf(content), upload.etag());

        Job job = createdFrom(upload);
        assertEquals(upload.etag(), job.input().etag());

        Job planned = planned(job);
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(25L, planned.urlsTotal());
    }

    @Test
    void aSecondPutToAReadyUploadLeavesTheUploadAsCheckedAndItsJobFailsInputChanged() throws Exception {
        byte[] first = urls("example.com", 25);
        Upload upload = readyUpload(first);

        // the signed PUT link is still valid: another file, of the same size, goes to the same key
        byte[] second = urls("example.org", 25);
        assertEquals(first.length, second.length);
        api.blobs.put(upload.key(), second, "text/plain");
        new CheckUpload(api.uploads, api.blobs).check(ApiFixture.TENANT_A, upload.id(), second.length,
                InMemoryBlobStore.etagOf(second));
        Upload after = api.uploads.find(ApiFixture.TENANT_A, upload.id()).orElseThrow();
        assertEquals(upload, after, "the upload is still what was checked");

        assertFailedWith(planned(createdFrom(after)), "input_changed");
        assertTrue(api.queue.chunks.isEmpty(), "no line of either file is fetched");
    }

    @Test
    void aFileChangedAfterTheJobWasCreatedFailsItBeforeAnyFetch() throws Exception {
        Upload upload = readyUpload(urls("example.com", 25));
        Job job = createdFrom(upload);
        api.blobs.put(upload.key(), urls("example.com", 30), "text/plain");

        Job failed = planned(job);

        assertFailedWith(failed, "input_changed");
        assertTrue(failed.failure().message().contains(upload.etag()), failed.failure().message());
        assertTrue(api.blobs.keys(BucketLayout.chunksPrefix(job.id())).isEmpty());
    }

    private static void assertFailedWith(Job job, String code) {
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals(code, job.failure().code());
    }
}
