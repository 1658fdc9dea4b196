package dev.trawl.core.upload;

import dev.trawl.core.input.InputFormat;
import dev.trawl.core.job.Failure;

import java.time.Instant;

/**
 * A file of URLs a tenant uploaded, and what its check found.
 *
 * @param declaredBytes the size the client announced for a signed upload, or null for a direct one
 * @param format        null until the file is checked
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
        Failure error) {

    public static final long MAX_BYTES = 1024L * 1024 * 1024;
    public static final int MAX_DIRECT_BYTES = 5 * 1024 * 1024;

    public String key() {
        return keyOf(tenant, id);
    }

    public static String keyOf(String tenant, String uploadId) {
        return "uploads/" + tenant + "/" + uploadId;
    }

    public static Upload pending(String id, String tenant, String filename, Instant now, Long declaredBytes) {
        return new Upload(id, tenant, filename, UploadStatus.PENDING, now, declaredBytes, null, null, null, null, null);
    }
}
