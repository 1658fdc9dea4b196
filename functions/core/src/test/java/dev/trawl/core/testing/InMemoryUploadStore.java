package dev.trawl.core.testing;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An {@link UploadStore} in a map, keyed by tenant and id like the real one. */
public final class InMemoryUploadStore implements UploadStore {
    private final Map<String, Upload> uploads = new HashMap<>();

    private static String key(String tenant, String id) {
        return tenant + "\u0000" + id;
    }

    /** Like the real store, keeps only what a new upload has: what a check finds comes later. */
    @Override
    public synchronized void create(Upload upload) {
        Upload created = new Upload(upload.id(), upload.tenant(), upload.filename(), upload.status(), upload.createdAt(),
                upload.declaredBytes(), null, null, null, null, null);
        if (uploads.putIfAbsent(key(upload.tenant(), upload.id()), created) != null) {
            throw new IllegalStateException("upload id reused");
        }
    }

    /** Puts an upload as it is, for tests that need one in some state. */
    public synchronized void put(Upload upload) {
        uploads.put(key(upload.tenant(), upload.id()), upload);
    }

    @Override
    public synchronized Optional<Upload> find(String tenant, String uploadId) {
        return Optional.ofNullable(uploads.get(key(tenant, uploadId)));
    }

    @Override
    public synchronized boolean startChecking(String tenant, String uploadId) {
        Upload u = uploads.get(key(tenant, uploadId));
        if (u == null || u.status() != UploadStatus.PENDING) {
            return false;
        }
        put(new Upload(u.id(), u.tenant(), u.filename(), UploadStatus.PROCESSING, u.createdAt(), u.declaredBytes(),
                u.format(), u.bytes(), u.urlCount(), u.invalidLines(), u.error(), u.etag()));
        return true;
    }

    @Override
    public synchronized void markReady(String tenant, String uploadId, InputFormat format, long bytes, long urlCount,
                                       long invalidLines, String etag) {
        Upload u = existing(tenant, uploadId);
        put(new Upload(u.id(), u.tenant(), u.filename(), UploadStatus.READY, u.createdAt(), u.declaredBytes(), format,
                bytes, urlCount, invalidLines, null, etag));
    }

    /** A size not given keeps the one stored, as the real update sets only what it is given. */
    @Override
    public synchronized void markInvalid(String tenant, String uploadId, Long bytes, Failure error) {
        Upload u = existing(tenant, uploadId);
        put(new Upload(u.id(), u.tenant(), u.filename(), UploadStatus.INVALID, u.createdAt(), u.declaredBytes(),
                u.format(), bytes == null ? u.bytes() : bytes, u.urlCount(), u.invalidLines(), error, u.etag()));
    }

    /** The real updates are conditional on the upload's existence: one that is absent is refused, not made. */
    private Upload existing(String tenant, String uploadId) {
        Upload upload = uploads.get(key(tenant, uploadId));
        if (upload == null) {
            throw new IllegalStateException("no upload " + uploadId + " of tenant " + tenant);
        }
        return upload;
    }
}
