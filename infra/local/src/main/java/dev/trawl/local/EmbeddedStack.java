package dev.trawl.local;

import dev.trawl.local.iam.Arns;
import dev.trawl.local.iam.AuthorizingBlobStore;
import dev.trawl.local.iam.Identities;
import dev.trawl.local.iam.Principal;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * DynamoDB Local, ElasticMQ and S3Proxy in this JVM, each on its own 127.0.0.1 port, all with one set of
 * credentials (letters and digits: DynamoDB Local keys its databases by them), and stand-ins for STS AssumeRole and
 * KMS.
 */
public final class EmbeddedStack implements Backend {
    public static final String ACCESS_KEY = "trawllocal";
    public static final String SECRET_KEY = "trawllocalsecret";
    public static final String REGION = Arns.REGION;

    static {
        // The stack's own credentials: the runtime and the tests, as an administrator would act.
        Identities.register(new Identities.Identity(ACCESS_KEY, SECRET_KEY, null, null, new Principal.Administrator()));
    }

    private final List<AutoCloseable> running = new ArrayList<>();
    private final Set<String> serviceBuckets = ConcurrentHashMap.newKeySet();
    private final Map<String, Consumer<ObjectCreated>> bucketListeners = new ConcurrentHashMap<>();
    private LocalSts sts;
    private LocalKms kms;
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    private URI s3Endpoint;
    private URI stsEndpoint;

    public static EmbeddedStack start() throws Exception {
        EmbeddedStack stack = new EmbeddedStack();
        try {
            stack.startAll();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null) {
            throw new IllegalStateException("set -Dsqlite4java.library.path to infra/local/target/native-libs "
                    + "(the build copies DynamoDB Local's native library there)");
        }
        int dynamoPort = freePort();
        DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(
                // One database whoever asks: each function signs with credentials of its own (IAM tells them apart).
                new String[]{"-inMemory", "-sharedDb", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        dynamo.start();
        running.add(dynamo::stop);
        dynamoDbEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);

        int sqsPort = freePort();
        SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort)
                .withAWSRegion(REGION).start();
        running.add(sqs::stopAndWait);
        sqs.waitUntilStarted();
        sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);

        int s3Port = freePort();
        s3Endpoint = URI.create("http://127.0.0.1:" + s3Port);
        NotifyingBlobStore blobs = new NotifyingBlobStore(new TransientNio2BlobStore(), this::objectCreated);
        S3Proxy s3 = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(s3Endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // Requests on a role's temporary credentials carry X-Amz-Security-Token, which S3Proxy does not know.
                .ignoreUnknownHeaders(true)
                .build();
        // Each request is judged as the identity that signed it (presigned links too), as S3 judges it by IAM.
        s3.setBlobStoreLocator((accessKey, bucket, key) -> grant(blobs, accessKey));
        s3.start();
        running.add(s3::stop);
        sts = new LocalSts(serviceBuckets);
        running.add(sts);
        stsEndpoint = sts.endpoint();
        kms = new LocalKms();
        running.add(kms);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + s3.getState());
            }
            Thread.sleep(20);
        }
    }

    private static AccessGrant grant(BlobStore blobs, String accessKey) {
        Identities.Identity identity = Identities.find(accessKey).orElse(null);
        if (identity == null) {
            return null;
        }
        if (identity.expired(Identities.now())) {
            throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED, "The provided token has expired.");
        }
        return new AccessGrant(identity.secretAccessKey(), identity.principal() instanceof Principal.Administrator
                ? blobs : new AuthorizingBlobStore(blobs, identity));
    }

    /** The service's own buckets, which a client's role never reads (no bucket policy lets another account in). */
    public Set<String> serviceBuckets() {
        return serviceBuckets;
    }

    @Override
    public void serviceBucket(String bucket, Consumer<ObjectCreated> objectCreated) {
        serviceBuckets.add(bucket);
        bucketListeners.put(bucket, objectCreated);
    }

    private void objectCreated(ObjectCreated created) {
        Consumer<ObjectCreated> listener = bucketListeners.get(created.bucket());
        if (listener != null) {
            listener.accept(created);
        }
    }

    @Override
    public Credentials credentials() {
        return new Credentials(ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    @Override
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    @Override
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    @Override
    public URI kmsEndpoint() {
        return kms.endpoint();
    }

    @Override
    public String createKey() {
        return kms.createKey();
    }

    LocalSts sts() {
        return sts;
    }

    @Override
    public URI stsEndpoint() {
        return stsEndpoint;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                // closing the others matters more than this one's error
            }
        }
        running.clear();
    }
}
