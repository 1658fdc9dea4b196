package dev.trawl.aws;

import dev.trawl.core.job.JobInput;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ObjectChanged;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The service's bucket. */
public final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("no object " + key);
        }
    }

    /** A GET with If-Match: S3 answers 412 when the object is another version now. */
    @Override
    public InputStream open(String key, String etag) throws IOException {
        if (etag == null) {
            return open(key);
        }
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(JobInput.quoted(etag)));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("no object " + key);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectChanged("the object " + key + " is not the version " + etag + " any more");
            }
            throw e;
        }
    }

    @Override
    public String etag(String key) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("no object " + key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new FileNotFoundException("no object " + key);
            }
            throw e;
        }
    }

    /**
     * Streams to S3 in 8 MiB parts of a multipart upload, so that no object, however large, is held whole in memory
     * or on disk; an object smaller than one part is a single put. Nothing exists until the commit, and closing
     * without one aborts the multipart upload.
     */
    @Override
    public Upload create(String key, String contentType) {
        return new MultipartUpload(key, contentType);
    }

    private final class MultipartUpload implements Upload {
        private static final int PART_BYTES = 8 * 1024 * 1024;
        private final String key;
        private final String contentType;
        private final byte[] buffer = new byte[PART_BYTES];
        private final List<CompletedPart> parts = new ArrayList<>();
        private int filled;
        private String uploadId;
        private boolean committed;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                while (length > 0) {
                    int take = Math.min(length, PART_BYTES - filled);
                    System.arraycopy(bytes, offset, buffer, filled, take);
                    filled += take;
                    offset += take;
                    length -= take;
                    if (filled == PART_BYTES) {
                        sendPart();
                    }
                }
            }

            @Override
            public void close() {
                // committing, not closing, ends an upload
            }
        };

        MultipartUpload(String key, String contentType) {
            this.key = key;
            this.contentType = contentType;
        }

        private void sendPart() {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled))).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void commit() {
            if (uploadId == null) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)));
            } else {
                if (filled > 0) {
                    sendPart();
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            }
            committed = true;
        }

        @Override
        public void close() {
            if (!committed && uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException e) {
                    // the bucket's lifecycle rule ends abandoned uploads
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public int deletePrefix(String prefix) {
        int deleted = 0;
        String token = null;
        do {
            String continuation = token;
            var page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation));
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!keys.isEmpty()) {
                var response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    throw new IllegalStateException("could not delete " + response.errors().size() + " objects under "
                            + prefix + ": " + response.errors().getFirst().code());
                }
                deleted += keys.size();
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return deleted;
    }

    @Override
    public URI presignPut(String key, long contentLength, Duration ttl) {
        return URI.create(presigner.presignPutObject(b -> b.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key(key).contentLength(contentLength))).url().toString());
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return URI.create(presigner.presignGetObject(b -> b.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
    }
}
