package dev.trawl.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --aws-latency}: an SDK call to a runtime with the realistic profile takes at least its figure, and one to a
 * runtime without adds nothing (by the interceptor's own account, not by the clock); two runtimes of each kind share
 * this JVM, each delaying only the calls to its own emulators. Lower bounds only: a slow machine is never a failure.
 */
class AwsLatencyTest {
    private static final int CALLS = 5;
    private static LocalRuntime realistic;
    private static LocalRuntime none;

    @BeforeAll
    static void start() throws Exception {
        realistic = LocalRuntime.start(options().withAwsLatency(LatencyProfile.realistic()));
        none = LocalRuntime.start(options().withAwsLatency(LatencyProfile.NONE));
    }

    private static LocalRuntime.Options options() throws Exception {
        return new LocalRuntime.Options(LimitsTest.template(), 0, Map.of(), Set.of(), Map.of(), false);
    }

    @AfterAll
    static void stop() {
        if (realistic != null) {
            realistic.close();
        }
        if (none != null) {
            none.close();
        }
    }

    private static void getItems(LocalRuntime runtime) {
        DynamoDbClient db = runtime.clients().dynamoDb();
        for (int i = 0; i < CALLS; i++) {
            db.getItem(b -> b.tableName(runtime.resource("Table"))
                    .key(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS("s"))));
        }
    }

    @Test
    void aDynamoDbReadTakesAtLeastItsFigureEachTime() {
        Duration accounted = realistic.awsLatency().delayed();
        long started = System.nanoTime();

        getItems(realistic);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Duration floor = LatencyProfile.realistic().figure("DynamoDb", "GetItem").multipliedBy(CALLS);
        assertTrue(took.compareTo(floor) >= 0, took + " for " + CALLS + " reads");
        assertTrue(realistic.awsLatency().delayed().minus(accounted).compareTo(floor) >= 0);
    }

    @Test
    void anS3PutAndAnSqsSendTakeAtLeastTheirFigures() {
        var s3 = realistic.clients().s3();
        s3.createBucket(b -> b.bucket("latency-test"));
        long started = System.nanoTime();
        s3.putObject(b -> b.bucket("latency-test").key("a"), RequestBody.fromString("x"));
        Duration put = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(put.compareTo(Duration.ofMillis(30)) >= 0, "PutObject took " + put);

        started = System.nanoTime();
        realistic.clients().sqs().sendMessage(b -> b.queueUrl(realistic.resource("PlainQueue")).messageBody("x"));
        Duration send = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(send.compareTo(Duration.ofMillis(10)) >= 0, "SendMessage took " + send);
    }

    @Test
    void withoutLatencyTheCallsAreSeenAndNothingIsAdded() {
        long before = none.awsLatency().attempts();

        getItems(none);
        none.clients().sqs().sendMessage(b -> b.queueUrl(none.resource("PlainQueue")).messageBody("x"));

        assertEquals(LatencyProfile.NONE, none.awsLatency().profile());
        assertTrue(none.awsLatency().attempts() - before >= CALLS + 1, "the interceptor saw the calls");
        assertEquals(Duration.ZERO, none.awsLatency().delayed());
    }

    /** {@code -Dtrawl.awsLatency=realistic} on the build reaches every runtime whose options do not say otherwise. */
    @Test
    void theDefaultOptionsTakeTheSystemProperty() throws Exception {
        String before = System.getProperty("trawl.awsLatency");
        try {
            System.setProperty("trawl.awsLatency", "realistic");
            assertEquals("realistic", options().awsLatency().name());
            System.clearProperty("trawl.awsLatency");
            assertEquals(LatencyProfile.NONE, options().awsLatency());
            assertEquals(LatencyProfile.NONE, options().withAwsLatency(null).awsLatency());
        } finally {
            if (before == null) {
                System.clearProperty("trawl.awsLatency");
            } else {
                System.setProperty("trawl.awsLatency", before);
            }
        }
    }

    @Test
    void eachRuntimeCountsOnlyTheCallsToItsOwnEmulators() {
        long realisticBefore = realistic.awsLatency().attempts();
        long noneBefore = none.awsLatency().attempts();

        getItems(none);

        assertEquals(realisticBefore, realistic.awsLatency().attempts());
        assertTrue(none.awsLatency().attempts() - noneBefore >= CALLS);
    }
}
