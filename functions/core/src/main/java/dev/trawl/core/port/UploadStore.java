package dev.trawl.core.port;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.upload.Upload;

import java.util.Optional;

/** Uploads, keyed by tenant like jobs. */
public interface UploadStore {
    void create(Upload upload);

    Optional<Upload> find(String tenant, String uploadId);

    /** {@code pending} → {@code processing}; false when the upload was not pending. */
    boolean startChecking(String tenant, String uploadId);

    /** @param etag the ETag of the object version that was checked */
    void markReady(String tenant, String uploadId, InputFormat format, long bytes, long urlCount, long invalidLines,
                   String etag);

    void markInvalid(String tenant, String uploadId, Long bytes, Failure error);
}
