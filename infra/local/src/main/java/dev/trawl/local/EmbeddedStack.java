package dev.trawl.local;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * DynamoDB Local, ElasticMQ and S3Proxy in this JVM, each on its own 127.0.0.1 port, all with one set of
 * credentials (letters and digits: DynamoDB Local keys its databases by them), and a stand-in for STS AssumeRole.
 */
public final class EmbeddedStack implements AutoCloseable {
    public static final String ACCESS_KEY = "trawllocal";
    public static final String SECRET_KEY = "trawllocalsecret";
    public static final String REGION = "us-east-1";

    private final List<AutoCloseable> running = new ArrayList<>();
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    private URI s3Endpoint;
    private URI stsEndpoint;

    public static EmbeddedStack start() throws Exception {
        return start(created -> { });
    }

    /** Starts the emulators; {@code onObjectCreated} hears of every object written to S3, as S3 notifications would. */
    static EmbeddedStack start(Consumer<NotifyingBlobStore.ObjectCreated> onObjectCreated) throws Exception {
        EmbeddedStack stack = new EmbeddedStack();
        try {
            stack.startAll(onObjectCreated);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Consumer<NotifyingBlobStore.ObjectCreated> onObjectCreated) throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null) {
            throw new IllegalStateException("set -Dsqlite4java.library.path to infra/local/target/native-libs "
                    + "(the build copies DynamoDB Local's native library there)");
        }
        int dynamoPort = freePort();
        DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(
                new String[]{"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
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
        S3Proxy s3 = S3Proxy.builder()
                .blobStore(new NotifyingBlobStore(new TransientNio2BlobStore(), onObjectCreated))
                .endpoint(s3Endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // Requests on a role's temporary credentials carry X-Amz-Security-Token, which S3Proxy does not know.
                .ignoreUnknownHeaders(true)
                .build();
        s3.start();
        running.add(s3::stop);
        LocalSts sts = new LocalSts();
        running.add(sts);
        stsEndpoint = sts.endpoint();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + s3.getState());
            }
            Thread.sleep(20);
        }
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

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
