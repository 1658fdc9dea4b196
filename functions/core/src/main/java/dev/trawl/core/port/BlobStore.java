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
