package dev.trawl.core.upload;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.layout.BucketLayout;

import java.time.Instant;

/**
 * A file of URLs a tenant uploaded, and what its check found.
 *
 * @param declaredBytes the size the client announced for a signed upload, or null for a direct one
 * @param format        null until the file is checked
 * @param etag          the checked object's ETag, recorded when it became {@code ready}: the version its counts are of,
 *                      and the one a job from it reads
 */
public record Upload(
        String id,
        String tenant,
        String filename,
        UploadStatus status,
        Instant createdAt,
        Long declaredBytes,
        InputFormat format,
        Long bytes,
        Long urlCount,
        Long invalidLines,
        Failure error,
        String etag) {

    /** An upload whose object's ETag is not (yet) recorded. */
    public Upload(String id, String tenant, String filename, UploadStatus status, Instant createdAt, Long declaredBytes,
                  InputFormat format, Long bytes, Long urlCount, Long invalidLines, Failure error) {
        this(id, tenant, filename, status, createdAt, declaredBytes, format, bytes, urlCount, invalidLines, error, null);
    }

    public static final long MAX_BYTES = 1024L * 1024 * 1024;
    public static final int MAX_DIRECT_BYTES = 5 * 1024 * 1024;

    /** Where the file is, or will be, in the service's bucket. */
    public String key() {
        return BucketLayout.upload(tenant, id);
    }

    public static Upload pending(String id, String tenant, String filename, Instant now, Long declaredBytes) {
        return new Upload(id, tenant, filename, UploadStatus.PENDING, now, declaredBytes, null, null, null, null, null);
    }
}
