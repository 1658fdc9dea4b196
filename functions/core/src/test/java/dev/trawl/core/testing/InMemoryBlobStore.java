package dev.trawl.core.testing;

import dev.trawl.core.job.JobInput;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ObjectChanged;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link BlobStore} in a map. */
public final class InMemoryBlobStore implements BlobStore {
    public record Blob(byte[] content, String contentType) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    /** Every key opened for reading, in order: what a use case read. */
    public final List<String> opened = new CopyOnWriteArrayList<>();

    @Override
    public void put(String key, byte[] content, String contentType) {
        blobs.put(key, new Blob(content.clone(), contentType));
    }

    /** Test convenience: stores UTF-8 text. */
    public void putText(String key, String text) {
        put(key, text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    public Blob get(String key) {
        return blobs.get(key);
    }

    /** The object's content as UTF-8 text, or null when it does not exist. */
    public String text(String key) {
        Blob blob = blobs.get(key);
        return blob == null ? null : blob.text();
    }

    public Map<String, Blob> all() {
        return Map.copyOf(blobs);
    }

    /** The keys that start with {@code prefix}, sorted. */
    public SortedSet<String> keys(String prefix) {
        SortedSet<String> keys = new TreeSet<>();
        for (String key : blobs.keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Override
    public InputStream open(String key) throws FileNotFoundException {
        opened.add(key);
        Blob blob = blobs.get(key);
        if (blob == null) {
            throw new FileNotFoundException(key);
        }
        return new ByteArrayInputStream(blob.content());
    }

    /** Like S3's for a single-part object: the content's MD5, in quotes. */
    @Override
    public String etag(String key) throws FileNotFoundException {
        Blob blob = blobs.get(key);
        if (blob == null) {
            throw new FileNotFoundException(key);
        }
        return etagOf(blob.content());
    }

    public static String etagOf(byte[] content) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InputStream open(String key, String etag) throws IOException {
        if (etag == null) {
            return open(key);
        }
        Blob blob = blobs.get(key);
        if (blob == null) {
            throw new FileNotFoundException(key);
        }
        if (!etagOf(blob.content()).equals(JobInput.quoted(etag))) {
            throw new ObjectChanged(key + " is not the version " + etag + " any more");
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
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (String key : keys(prefix)) {
            if (blobs.remove(key) != null) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public URI presignPut(String key, long contentLength, Duration ttl) {
        return URI.create("https://blobs.test/" + key + "?put=" + contentLength + "&ttl=" + ttl.toSeconds());
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return URI.create("https://blobs.test/" + key + "?ttl=" + ttl.toSeconds());
    }
}
