package dev.trawl.core.port;

import java.io.IOException;
import java.io.InputStream;

/** Objects in a client's own bucket, read with the service's identity or as a role the client lets it assume. */
public interface ExternalObjects {
    /**
     * Streams {@code s3://bucket/key}.
     *
     * @param roleArn the client's role to assume for the read, or null to read as the service
     * @param tenant  who reads: the role is assumed with the tenant as its external id, so that one tenant cannot
     *                use a role another tenant gave the service
     * @throws IOException with a message fit for the client when the object cannot be read (missing, denied)
     */
    InputStream open(String bucket, String key, String roleArn, String tenant) throws IOException;

    /**
     * Streams the object only while it is the version with this ETag ({@link ObjectChanged} when it was written
     * again since); a null ETag reads whatever is there.
     */
    default InputStream open(String bucket, String key, String roleArn, String tenant, String etag) throws IOException {
        if (etag == null) {
            return open(bucket, key, roleArn, tenant);
        }
        throw new UnsupportedOperationException("this reader cannot read a pinned version");
    }

    /**
     * Checks that the object can be read, without reading it; the same errors as {@link #open}, and
     * {@link UnsafeRole} when the role can be assumed without the tenant's external id.
     *
     * @return the object's ETag, which pins the version a job reads
     */
    String check(String bucket, String key, String roleArn, String tenant) throws IOException;

    /**
     * A role that trusts the service whoever asks: anyone able to name it to the service could read what it reads (a
     * confused deputy). A role must demand the tenant's id as its external id.
     */
    final class UnsafeRole extends IOException {
        public UnsafeRole(String message) {
            super(message);
        }
    }
}
