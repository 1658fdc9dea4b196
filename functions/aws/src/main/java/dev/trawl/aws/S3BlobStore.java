package dev.trawl.aws;

import dev.trawl.core.port.BlobStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** Spools to a temporary file and puts it on commit, so that a failed writer leaves no object behind. */
    @Override
    public Upload create(String key, String contentType) throws IOException {
        Path spool = Files.createTempFile("trawl-upload-", ".part");
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(spool), 256 * 1024);
        OutputStream stream = new FilterOutputStream(file) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // committing, not closing, ends an upload
            }
        };
        return new Upload() {
            private boolean closed;

            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public void commit() throws IOException {
                file.close();
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(spool));
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    file.close();
                    Files.deleteIfExists(spool);
                }
            }
        };
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
