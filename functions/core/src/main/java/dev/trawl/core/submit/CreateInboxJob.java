package dev.trawl.core.submit;

import dev.trawl.core.error.TooMany;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;

import java.time.Clock;

/**
 * A job for a file dropped into a tenant's inbox, with the tenant's job defaults, named after the file. Beyond the
 * tenant's ceilings the file's job is stored {@code failed} at once with the ceiling's code, so that the drop is
 * never lost silently: the tenant sees why in its job list and drops the file again (under another name) later.
 */
public final class CreateInboxJob {
    private static final int MAX_NAME = 256;
    private final NewJobs newJobs;
    private final TenantSettingsCache tenants;

    public CreateInboxJob(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Clock clock) {
        this(jobs, keys, blobs, queue, clock, null);
    }

    /** @param tenants the tenants' job defaults and ceilings (null: the defaults of a job request, no ceiling) */
    public CreateInboxJob(JobStore jobs, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue, Clock clock,
                          TenantSettingsCache tenants) {
        // a dropped file's job carries no webhook (tenant settings refuse one): no secret to seal
        this.newJobs = new NewJobs(jobs, keys, blobs, queue, null, clock, tenants);
        this.tenants = tenants;
    }

    /** @param etag the object's version: S3 may notify twice, and the key with its version names one drop */
    public Job create(BucketLayout.DroppedFile file, String etag) {
        Idempotency idempotency = Idempotency.of("inbox:" + file.key() + ":" + etag, "inbox", file.key());
        String name = file.name().length() > MAX_NAME ? file.name().substring(0, MAX_NAME) : file.name();
        JobSettings settings = tenants == null ? JobSettings.DEFAULTS : tenants.of(file.tenant()).inboxJobSettings();
        try {
            return newJobs.submit(file.tenant(), name, settings, null, idempotency, null,
                    id -> JobInput.inbox(file.key()).pinned(etag)).job();
        } catch (TooMany ceiling) {
            return newJobs.storeFailed(file.tenant(), name, settings, idempotency,
                    JobInput.inbox(file.key()).pinned(etag), new Failure(ceiling.code(), ceiling.getMessage()));
        }
    }
}
