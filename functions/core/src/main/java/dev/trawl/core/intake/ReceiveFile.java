package dev.trawl.core.intake;

import dev.trawl.core.job.Job;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.submit.CreateInboxJob;
import dev.trawl.core.util.Log;

import java.io.IOException;
import java.time.Clock;

/**
 * A file that arrived in the service's bucket, told apart by its key: an upload's file is checked; a file dropped
 * into a tenant's inbox starts a job. Keys of neither kind are left alone.
 */
public final class ReceiveFile {
    private static final Log LOG = Log.of("upload-trigger");
    private final CheckUpload checkUpload;
    private final CreateInboxJob createInboxJob;

    public ReceiveFile(UploadStore uploads, JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue,
                       Clock clock) {
        this(uploads, jobs, keys, blobs, queue, clock, null);
    }

    /** @param tenants the tenants' inbox job defaults and ceilings (null: the defaults of a job request, no ceiling) */
    public ReceiveFile(UploadStore uploads, JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue,
                       Clock clock, TenantSettingsCache tenants) {
        this(new CheckUpload(uploads, blobs), new CreateInboxJob(jobs, keys, blobs, queue, clock, tenants));
    }

    ReceiveFile(CheckUpload checkUpload, CreateInboxJob createInboxJob) {
        this.checkUpload = checkUpload;
        this.createInboxJob = createInboxJob;
    }

    /**
     * @param etag the object's version, as the notification gives it (null when it gives none)
     * @return whether the key was one this service handles
     */
    public boolean receive(String key, long size, String etag) throws IOException {
        BucketLayout.Arrival arrival = BucketLayout.arrival(key).orElse(null);
        switch (arrival) {
            case BucketLayout.UploadedFile file -> checkUpload.check(file.tenant(), file.uploadId(), size, etag);
            case BucketLayout.DroppedFile file -> {
                Job job = createInboxJob.create(file, etag);
                LOG.info(job.id(), "job started from a file dropped into the inbox", "tenant", file.tenant());
            }
            case null -> {
                LOG.warn(null, "object-created notification for a key this function does not handle", "key_prefix",
                        key.contains("/") ? key.substring(0, key.indexOf('/')) : key);
                return false;
            }
        }
        return true;
    }
}
