package dev.trawl.core.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.Json;

import java.io.IOException;
import java.time.Clock;

/** Records a new job as {@code queued} and asks for it to be planned; its input comes from the request. */
public final class CreateJob {
    private final NewJobs newJobs;
    private final UploadStore uploads;
    private final ExternalObjects external;
    private final String serviceBucket;
    private final String serviceAccount;

    public CreateJob(JobStore jobs, IdempotencyKeys keys, UploadStore uploads, BlobStore blobs, WorkQueue queue,
                     Secrets secrets, Clock clock) {
        this(jobs, keys, uploads, blobs, queue, secrets, clock, null, null, null);
    }

    /**
     * @param external      reads clients' buckets for {@code s3_uri} inputs (null: such inputs are refused)
     * @param serviceBucket the service's own bucket, of which a tenant may name only its own upload prefix
     * @param serviceAccount the service's own AWS account, whose roles no tenant may name (null when unknown)
     */
    public CreateJob(JobStore jobs, IdempotencyKeys keys, UploadStore uploads, BlobStore blobs, WorkQueue queue,
                     Secrets secrets, Clock clock, ExternalObjects external, String serviceBucket, String serviceAccount) {
        this(jobs, keys, uploads, blobs, queue, secrets, clock, external, serviceBucket, serviceAccount, null);
    }

    /** @param tenants the tenants' ceilings on live jobs (null: none) */
    public CreateJob(JobStore jobs, IdempotencyKeys keys, UploadStore uploads, BlobStore blobs, WorkQueue queue,
                     Secrets secrets, Clock clock, ExternalObjects external, String serviceBucket, String serviceAccount,
                     TenantSettingsCache tenants) {
        this.newJobs = new NewJobs(jobs, keys, blobs, queue, secrets, clock, tenants);
        this.uploads = uploads;
        this.external = external;
        this.serviceBucket = serviceBucket;
        this.serviceAccount = serviceAccount;
    }

    /** @param idempotency the request's Idempotency-Key, or null */
    public Submitted create(String tenant, JobRequest request, Idempotency idempotency) {
        if (request.uploadId() != null) {
            Upload upload = readyUpload(tenant, request.uploadId());
            return newJobs.submit(tenant, request.name(), request.settings(), null, idempotency, upload.urlCount(),
                    id -> JobInput.upload(upload.key(), upload.format(), upload.id()).pinned(upload.etag()));
        }
        if (request.s3() != null) {
            JobInput input = s3Input(tenant, request.s3(), request.roleArn());
            return newJobs.submit(tenant, request.name(), request.settings(), null, idempotency, null, id -> input);
        }
        return newJobs.submit(tenant, request.name(), request.settings(), null, idempotency, null,
                id -> newJobs.writeEntries(id, out -> {
                    for (JsonNode entry : request.entries()) {
                        out.write(Json.write(entry));
                        out.write('\n');
                    }
                    return request.entries().size();
                }));
    }

    /**
     * A client's object as input. The service's own bucket is refused but for the tenant's own upload prefix, so no
     * tenant reads another's files, nor the service's; any other bucket is read only as a role of the client's,
     * assumed with the tenant as external id, and must be readable now.
     */
    private JobInput s3Input(String tenant, JobRequest.S3Location location, String roleArn) {
        if (external == null || serviceBucket == null) {
            throw new InvalidInput("input.s3_uri", "input.s3_uri is not available on this deployment.");
        }
        if (location.bucket().equals(serviceBucket)) {
            if (roleArn != null || !location.key().startsWith(BucketLayout.uploadsOf(tenant))) {
                throw new InvalidInput("input.s3_uri", "The service's own bucket is not an input, but for your own "
                        + "uploads (s3://" + serviceBucket + "/" + BucketLayout.uploadsOf(tenant) + "…).");
            }
            // the API may not read uploads: the planner pins the version its first read finds
            return JobInput.s3(serviceBucket, location.key(), null);
        }
        if (roleArn == null) {
            // Read as the service, any bucket that trusts the service would be open to every tenant.
            throw new InvalidInput("input.role_arn", "input.role_arn is required for a bucket of your own: name a role of "
                    + "yours that the service may assume, with your tenant id as its external id.");
        }
        if (serviceAccount != null && roleArn.split(":")[4].equals(serviceAccount)) {
            throw new InvalidInput("input.role_arn", "input.role_arn must be a role of your own AWS account, not of the "
                    + "service's.");
        }
        String etag;
        try {
            etag = external.check(location.bucket(), location.key(), roleArn, tenant);
        } catch (ExternalObjects.UnsafeRole e) {
            throw new InvalidInput("input.role_arn", e.getMessage());
        } catch (IOException e) {
            throw new Unprocessable("input_unreadable", e.getMessage(), "input.s3_uri");
        }
        return JobInput.s3(location.bucket(), location.key(), roleArn).pinned(etag);
    }

    private Upload readyUpload(String tenant, String uploadId) {
        Upload upload = uploads.find(tenant, uploadId).orElseThrow(() ->
                new NotFound("No upload with this id.", "input.upload_id"));
        return switch (upload.status()) {
            case READY -> upload;
            case INVALID -> throw new Unprocessable("upload_invalid", "The upload is invalid: "
                    + (upload.error() == null ? "see GET /v1/uploads/" + uploadId : upload.error().message()), "input.upload_id");
            default -> throw new Conflict("upload_not_ready", "The upload is still " + upload.status().wire()
                    + "; create the job once GET /v1/uploads/" + uploadId + " says ready.", "input.upload_id");
        };
    }
}
