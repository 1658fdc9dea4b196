package dev.trawl.localstack;

import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import dev.trawl.local.Backend;
import dev.trawl.local.iam.Arns;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * LocalStack as a {@link dev.trawl.local.LocalRuntime}'s backend: DynamoDB, SQS, S3, STS and KMS on its one edge
 * endpoint, whoever started it (Testcontainers in the tests, {@code localstack start} by hand). The functions still run in
 * this JVM; LocalStack holds only their table, queues, bucket and key, and need never reach this JVM: S3's object-created
 * notifications go to a queue of LocalStack's own, which {@link BucketNotificationQueue} polls.
 *
 * <p>What the embedded stack checks and LocalStack does not: S3's IAM (S3Proxy judges every request, presigned links
 * included, by the signer's policies; LocalStack's free edition enforces no IAM). The SDK's checks of DynamoDB, SQS,
 * STS and KMS calls against each function's policies run in this JVM, so they hold here too.
 */
public final class LocalStackBackend implements Backend {
    private final URI endpoint;
    private final Credentials credentials;
    private final AwsClients clients;
    private final List<BucketNotificationQueue> notificationQueues = new CopyOnWriteArrayList<>();

    private LocalStackBackend(URI endpoint, Credentials credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.clients = new AwsClients(Config.fromEnv(Map.of(
                "AWS_REGION", Arns.REGION,
                "AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(),
                "AWS_ENDPOINT_URL_SQS", endpoint.toString(),
                "AWS_ENDPOINT_URL_S3", endpoint.toString(),
                "AWS_ENDPOINT_URL_STS", endpoint.toString(),
                "AWS_ENDPOINT_URL_KMS", endpoint.toString(),
                "TABLE_NAME", "-",
                "BUCKET_NAME", "-")));
    }

    /**
     * LocalStack at {@code endpoint}, signed to with {@code credentials}, whose access key must put LocalStack in the
     * account the runtime's ARNs name ({@link Arns#ACCOUNT}): any plain key such as {@code test} does.
     */
    public static LocalStackBackend connect(URI endpoint, Credentials credentials) {
        LocalStackBackend backend = new LocalStackBackend(endpoint, credentials);
        try {
            String account = backend.clients.sts().getCallerIdentity().account();
            if (!Arns.ACCOUNT.equals(account)) {
                throw new IllegalArgumentException("LocalStack takes access key " + credentials.accessKeyId()
                        + " for account " + account + ", but the local runtime's ARNs are in " + Arns.ACCOUNT
                        + ": use a plain access key such as \"test\"");
            }
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public URI dynamoDbEndpoint() {
        return endpoint;
    }

    @Override
    public URI sqsEndpoint() {
        return endpoint;
    }

    @Override
    public URI s3Endpoint() {
        return endpoint;
    }

    @Override
    public URI stsEndpoint() {
        return endpoint;
    }

    @Override
    public URI kmsEndpoint() {
        return endpoint;
    }

    @Override
    public String createKey() {
        return clients.kms().createKey(b -> b.description("trawl local runtime")).keyMetadata().keyId();
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void serviceBucket(String bucket, Consumer<ObjectCreated> objectCreated) {
        notificationQueues.add(BucketNotificationQueue.start(clients.s3(), clients.sqs(), bucket, objectCreated));
    }

    @Override
    public void close() {
        notificationQueues.forEach(BucketNotificationQueue::close);
        notificationQueues.clear();
        clients.close();
    }
}
