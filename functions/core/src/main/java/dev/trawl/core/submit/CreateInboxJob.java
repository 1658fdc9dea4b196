package dev.trawl.core.submit;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;

/** A job for a file dropped into a tenant's inbox, with the default settings, named after the file. */
public final class CreateInboxJob {
    private static final int MAX_NAME = 256;
    private final NewJobs newJobs;

    public CreateInboxJob(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Clock clock) {
        // a dropped file's job takes the default settings: no webhook, no secret to seal
        this.newJobs = new NewJobs(jobs, keys, blobs, queue, null, clock);
    }

    /** @param etag the object's version: S3 may notify twice, and the key with its version names one drop */
    public Job create(BucketLayout.DroppedFile file, String etag) {
        Idempotency idempotency = Idempotency.of("inbox:" + file.key() + ":" + etag, "inbox", file.key());
        String name = file.name().length() > MAX_NAME ? file.name().substring(0, MAX_NAME) : file.name();
        return newJobs.submit(file.tenant(), name, JobSettings.DEFAULTS, null, idempotency, null,
                id -> JobInput.inbox(file.key()).pinned(etag)).job();
    }
}
