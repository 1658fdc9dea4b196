package dev.trawl.local;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long AWS takes to answer each SDK call, added to the local stack's calls by {@link AwsLatency} when a runtime
 * runs with {@code --aws-latency realistic} ({@code -Dtrawl.awsLatency=realistic} in the tests and benchmarks). The
 * emulators answer in well under a millisecond; AWS, from a Lambda function in the same region, in the figures below
 * (typical medians of the services' published guidance and of what the SDK's metrics show in practice). They are
 * what makes a design that issues calls one after another slow on AWS, which the local stack would otherwise hide.
 *
 * <table>
 *   <caption>Realistic figures, per call (an HTTP attempt: a retried call pays again)</caption>
 *   <tr><th>Service</th><th>Operations</th><th>Figure</th></tr>
 *   <tr><td>S3</td><td>PutObject, UploadPart, CompleteMultipartUpload, CopyObject</td><td>30 ms</td></tr>
 *   <tr><td>S3</td><td>GetObject (to the first byte), HeadObject, ListObjectsV2, DeleteObject(s), others</td><td>20 ms</td></tr>
 *   <tr><td>DynamoDB</td><td>GetItem, Query, BatchGetItem, TransactGetItems (reads)</td><td>5 ms</td></tr>
 *   <tr><td>DynamoDB</td><td>PutItem, UpdateItem, DeleteItem (writes)</td><td>8 ms</td></tr>
 *   <tr><td>DynamoDB</td><td>BatchWriteItem</td><td>10 ms</td></tr>
 *   <tr><td>DynamoDB</td><td>TransactWriteItems</td><td>15 ms</td></tr>
 *   <tr><td>DynamoDB</td><td>Scan, control plane (CreateTable…)</td><td>10 ms</td></tr>
 *   <tr><td>SQS</td><td>Send, Receive, Delete, ChangeVisibility (single or batch), others</td><td>10 ms</td></tr>
 *   <tr><td>KMS</td><td>GenerateDataKey, Decrypt, others</td><td>8 ms</td></tr>
 *   <tr><td>STS</td><td>AssumeRole, others</td><td>20 ms</td></tr>
 * </table>
 *
 * <p>Each delay gets a jitter of 0 to {@link #JITTER_SHARE} of its figure on top, from a seeded sequence (the same
 * seed, the same sequence of jitters), never below the figure: AWS's latencies spread upwards, not under their median.
 * A receive's long poll waits on top of its figure, as on AWS.
 */
public final class LatencyProfile {
    /** The jitter's largest share of a figure. */
    public static final double JITTER_SHARE = 0.2;
    private static final long DEFAULT_SEED = 11;

    /** No latency added: the emulators' own speed. */
    public static final LatencyProfile NONE = new LatencyProfile("none", Map.of(), Map.of(), DEFAULT_SEED);

    private static final Map<String, Duration> REALISTIC_BY_SERVICE = Map.of(
            "S3", Duration.ofMillis(20),
            "DynamoDb", Duration.ofMillis(10),
            "Sqs", Duration.ofMillis(10),
            "Kms", Duration.ofMillis(8),
            "Sts", Duration.ofMillis(20));
    private static final Map<String, Duration> REALISTIC_BY_OPERATION = Map.ofEntries(
            Map.entry("S3.PutObject", Duration.ofMillis(30)),
            Map.entry("S3.UploadPart", Duration.ofMillis(30)),
            Map.entry("S3.CompleteMultipartUpload", Duration.ofMillis(30)),
            Map.entry("S3.CopyObject", Duration.ofMillis(30)),
            Map.entry("S3.GetObject", Duration.ofMillis(20)),
            Map.entry("S3.HeadObject", Duration.ofMillis(20)),
            Map.entry("S3.ListObjectsV2", Duration.ofMillis(20)),
            Map.entry("S3.DeleteObject", Duration.ofMillis(20)),
            Map.entry("S3.DeleteObjects", Duration.ofMillis(20)),
            Map.entry("DynamoDb.GetItem", Duration.ofMillis(5)),
            Map.entry("DynamoDb.Query", Duration.ofMillis(5)),
            Map.entry("DynamoDb.BatchGetItem", Duration.ofMillis(5)),
            Map.entry("DynamoDb.TransactGetItems", Duration.ofMillis(5)),
            Map.entry("DynamoDb.PutItem", Duration.ofMillis(8)),
            Map.entry("DynamoDb.UpdateItem", Duration.ofMillis(8)),
            Map.entry("DynamoDb.DeleteItem", Duration.ofMillis(8)),
            Map.entry("DynamoDb.BatchWriteItem", Duration.ofMillis(10)),
            Map.entry("DynamoDb.TransactWriteItems", Duration.ofMillis(15)),
            Map.entry("Sqs.SendMessage", Duration.ofMillis(10)),
            Map.entry("Sqs.SendMessageBatch", Duration.ofMillis(10)),
            Map.entry("Sqs.ReceiveMessage", Duration.ofMillis(10)),
            Map.entry("Sqs.DeleteMessage", Duration.ofMillis(10)),
            Map.entry("Sqs.DeleteMessageBatch", Duration.ofMillis(10)),
            Map.entry("Sqs.ChangeMessageVisibility", Duration.ofMillis(10)),
            Map.entry("Sqs.ChangeMessageVisibilityBatch", Duration.ofMillis(10)),
            Map.entry("Kms.GenerateDataKey", Duration.ofMillis(8)),
            Map.entry("Kms.Decrypt", Duration.ofMillis(8)),
            Map.entry("Sts.AssumeRole", Duration.ofMillis(20)));

    private final String name;
    private final Map<String, Duration> byOperation;
    private final Map<String, Duration> byService;
    private final long seed;
    private final AtomicLong draws = new AtomicLong();

    private LatencyProfile(String name, Map<String, Duration> byOperation, Map<String, Duration> byService, long seed) {
        this.name = name;
        this.byOperation = byOperation;
        this.byService = byService;
        this.seed = seed;
    }

    /** AWS's latencies, the figures of the table above, with jitter drawn from {@code seed}. */
    public static LatencyProfile realistic(long seed) {
        return new LatencyProfile("realistic", REALISTIC_BY_OPERATION, REALISTIC_BY_SERVICE, seed);
    }

    public static LatencyProfile realistic() {
        return realistic(DEFAULT_SEED);
    }

    /** {@code none} or {@code realistic}; anything else is refused naming the choices. */
    public static LatencyProfile named(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "realistic" -> realistic();
            default -> throw new IllegalArgumentException("AWS latency must be none or realistic, not '" + name + "'");
        };
    }

    /** The profile the system property {@code trawl.awsLatency} names (none when it is unset), for tests and benchmarks. */
    public static LatencyProfile fromSystemProperty() {
        String named = System.getProperty("trawl.awsLatency");
        return named == null || named.isBlank() ? NONE : named(named);
    }

    public String name() {
        return name;
    }

    public boolean isNone() {
        return byService.isEmpty() && byOperation.isEmpty();
    }

    /**
     * The figure for one call, without jitter: the operation's own, else its service's, else zero.
     *
     * @param service   the SDK's service name ({@code S3}, {@code DynamoDb}, {@code Sqs}, {@code Kms}, {@code Sts})
     * @param operation the SDK's operation name, e.g. {@code PutObject}
     */
    public Duration figure(String service, String operation) {
        Duration own = byOperation.get(service + "." + operation);
        return own != null ? own : byService.getOrDefault(service, Duration.ZERO);
    }

    /** The delay of the next call of that operation: its figure and a jitter of 0 to 20 % of it, the next of the seed's sequence. */
    public Duration delay(String service, String operation) {
        Duration figure = figure(service, operation);
        if (figure.isZero()) {
            return figure;
        }
        double share = unit(mix(seed + draws.incrementAndGet())) * JITTER_SHARE;
        return figure.plusNanos((long) (figure.toNanos() * share));
    }

    /** A number in [0, 1) from 53 bits of a mixed value. */
    private static double unit(long mixed) {
        return (mixed >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer: consecutive inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return name;
    }
}
