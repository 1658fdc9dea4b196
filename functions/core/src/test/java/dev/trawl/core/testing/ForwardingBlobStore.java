package dev.trawl.core.testing;

import dev.trawl.core.port.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * A blob store that hands every call to another, for tests that change one or two calls (count them, slow them, make
 * them fail) and keep the rest. The pinned-version calls keep their defaults, so that they go through this store's
 * own {@link #open(String)}.
 */
public class ForwardingBlobStore implements BlobStore {
    protected final BlobStore blobs;

    public ForwardingBlobStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        blobs.put(key, content, contentType);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return blobs.open(key);
    }

    @Override
    public Upload create(String key, String contentType) throws IOException {
        return blobs.create(key, contentType);
    }

    @Override
    public void delete(String key) {
        blobs.delete(key);
    }

    @Override
    public int deletePrefix(String prefix) {
        return blobs.deletePrefix(prefix);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return blobs.presignGet(key, ttl);
    }

    @Override
    public URI presignPut(String key, long contentLength, Duration ttl) {
        return blobs.presignPut(key, contentLength, ttl);
    }
}
