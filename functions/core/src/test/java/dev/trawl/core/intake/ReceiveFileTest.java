package dev.trawl.core.intake;

import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryUploadStore;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file arriving in the bucket: an upload's file is checked, an inbox drop starts one job, anything else is left. */
class ReceiveFileTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String UPLOAD_ID = "upl_01JD3F2D1A77B0E1XYZ0000000";
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemoryUploadStore uploads = new InMemoryUploadStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final ReceiveFile receiveFile = new ReceiveFile(uploads, jobs, jobs, blobs, queue, new MutableClock(NOW));

    @Test
    void anUploadsFileIsCheckedAndReady() throws Exception {
        uploads.create(Upload.pending(UPLOAD_ID, "acme", "urls.ndjson", NOW, null));
        String text = "{\"url\": \"https://example.com/a\"}\n{\"url\": 5}\n\n{\"url\": \"https://example.com/b\"}\n";
        blobs.putText(BucketLayout.upload("acme", UPLOAD_ID), text);

        // S3's notification gives the ETag without quotes
        String etag = InMemoryBlobStore.etagOf(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(receiveFile.receive(BucketLayout.upload("acme", UPLOAD_ID), text.length(), etag.replace("\"", "")));

        Upload checked = uploads.find("acme", UPLOAD_ID).orElseThrow();
        assertEquals(UploadStatus.READY, checked.status());
        assertEquals(etag, checked.etag(), "the version checked is the upload's");
        assertEquals(InputFormat.NDJSON, checked.format());
        assertEquals(3, checked.urlCount());
        assertEquals(1, checked.invalidLines());
        assertEquals(0, jobs.size(), "a checked upload starts no job");
    }

    @Test
    void aDroppedFileStartsOneJobNamedAfterIt() throws Exception {
        String key = BucketLayout.INBOX + "acme/nightly/catalog.csv";
        blobs.putText(key, "url\nhttps://example.com/a\n");

        assertTrue(receiveFile.receive(key, 25, "etag-1"));
        assertTrue(receiveFile.receive(key, 25, "etag-1"), "S3 may notify twice: the same drop");

        List<Job> started = jobs.all();
        assertEquals(1, started.size());
        Job job = started.getFirst();
        assertEquals("acme", job.tenant());
        assertEquals("nightly/catalog.csv", job.name());
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals("inbox", job.input().type());
        assertEquals(key, job.input().key());
        assertTrue(queue.planRequests.contains(new JobRef("acme", job.id())));

        assertTrue(receiveFile.receive(key, 30, "etag-2"));
        assertEquals(2, jobs.size(), "the same name written again is a new drop");
    }

    @Test
    void otherKeysAreLeftAlone() throws Exception {
        for (String key : List.of(BucketLayout.input("job_01JD3F2D1A77B0E1XYZ0000000"),
                BucketLayout.manifest("acme", "job_01JD3F2D1A77B0E1XYZ0000000"), "uploads/acme/not-an-upload-id",
                "inbox/acme", "stray.txt")) {
            assertFalse(receiveFile.receive(key, 10, "etag"), key);
        }
        assertEquals(0, jobs.size());
        assertTrue(queue.planRequests.isEmpty());
    }
}
