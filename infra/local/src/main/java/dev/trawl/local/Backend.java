package dev.trawl.local;

import java.net.URI;
import java.util.function.Consumer;

/**
 * Where a {@link LocalRuntime} keeps the template's table, queues, bucket and key: the endpoints its functions and its
 * own clients call, the credentials it acts with, and how S3 tells it of new objects. {@link EmbeddedStack} is the
 * one {@code trawl serve} and the tests use; another (LocalStack, in {@code infra/localstack}) runs the same runtime
 * against other emulators. Every backend is in {@link dev.trawl.local.iam.Arns}'s account and region.
 */
public interface Backend extends AutoCloseable {

    /** One object-created notification, as S3 sends it to a bucket's notification targets. */
    record ObjectCreated(String eventName, String bucket, String key, long size, String etag) {
    }

    /** Credentials for the runtime's own calls (creating the template's resources), as an administrator's. */
    record Credentials(String accessKeyId, String secretAccessKey) {
    }

    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    URI s3Endpoint();

    URI stsEndpoint();

    URI kmsEndpoint();

    Credentials credentials();

    /**
     * The runtime has created {@code bucket} for the service (a bucket of the template): from now on, tell
     * {@code objectCreated} of every object created in it, whoever wrote it, as the bucket's notifications would.
     */
    void serviceBucket(String bucket, Consumer<ObjectCreated> objectCreated) throws Exception;

    /** Creates a symmetric encryption key, as CloudFormation does for an {@code AWS::KMS::Key}; answers its id. */
    String createKey() throws Exception;

    @Override
    void close();
}
