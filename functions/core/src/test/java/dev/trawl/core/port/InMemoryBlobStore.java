package dev.trawl.core.port;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BlobStore} in a map. */
public final class InMemoryBlobStore implements BlobStore {
    public record Blob(byte[] content, String contentType) {
    }

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();

    @Override
    public void put(String key, byte[] content, String contentType) {
        blobs.put(key, new Blob(content.clone(), contentType));
    }

    public Blob get(String key) {
        return blobs.get(key);
    }

    public Map<String, Blob> all() {
        return Map.copyOf(blobs);
    }

    @Override
    public InputStream open(String key) throws FileNotFoundException {
        Blob blob = blobs.get(key);
        if (blob == null) {
            throw new FileNotFoundException(key);
        }
        return new ByteArrayInputStream(blob.content());
    }

    @Override
    public Upload create(String key, String contentType) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new Upload() {
            @Override
            public OutputStream stream() {
                return buffer;
            }

            @Override
            public void commit() {
                put(key, buffer.toByteArray(), contentType);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void delete(String key) {
        blobs.remove(key);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return URI.create("https://blobs.test/" + key + "?ttl=" + ttl.toSeconds());
    }
}
