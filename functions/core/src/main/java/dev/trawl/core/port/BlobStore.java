package dev.trawl.core.port;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;

/** Objects of the service's bucket. */
public interface BlobStore {
    void put(String key, byte[] content, String contentType);

    /** Streams an object; throws {@link java.io.FileNotFoundException} when it does not exist. */
    InputStream open(String key) throws IOException;

    /**
     * Streams the object only while it is the version with this ETag; throws {@link ObjectChanged} when it was
     * written again since, {@link java.io.FileNotFoundException} when it is gone. A null ETag reads whatever is there.
     */
    default InputStream open(String key, String etag) throws IOException {
        if (etag == null) {
            return open(key);
        }
        throw new UnsupportedOperationException("this store cannot read a pinned version");
    }

    /** The object's ETag now; {@link java.io.FileNotFoundException} when it does not exist. */
    default String etag(String key) throws IOException {
        throw new UnsupportedOperationException("this store cannot tell an object's ETag");
    }

    /** Starts writing an object; it exists only once {@link Upload#commit()} returns. */
    Upload create(String key, String contentType) throws IOException;

    void delete(String key);

    /** Deletes every object whose key starts with {@code prefix}; returns how many. */
    int deletePrefix(String prefix);

    /** A time-limited link that reads the object without credentials. */
    URI presignGet(String key, Duration ttl);

    /** A time-limited link to PUT the object, valid only for a body of exactly {@code contentLength} bytes. */
    URI presignPut(String key, long contentLength, Duration ttl);

    /** An object being written. Closing it without a commit discards what was written. */
    interface Upload extends AutoCloseable {
        /** Where the content goes; closing this stream does not commit. */
        OutputStream stream();

        void commit() throws IOException;

        @Override
        void close() throws IOException;
    }
}
