package dev.trawl.aws.lambda;

import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * When a message that failed for a transient reason comes back: 2 s after its first receive, four times longer after
 * each further one (2, 8, 32, 128 s), at most 5 minutes, each drawn at random between half that and all of it so that
 * the messages of one outage do not all come back at once. Four-fold rather than two-fold growth because the queues
 * move a message to their dead-letter queue after 5 receives: the redeliveries then span some four to eight minutes
 * of an outage (2 + 8 + 32 + 128 + 300 s at most), where doubling (2 + 4 + 8 + 16 + 32 s) would dead-letter a chunk
 * after one minute of throttling.
 */
public final class RedeliveryBackoff {
    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration CAP = Duration.ofMinutes(5);
    private static final int GROWTH = 4;

    private RedeliveryBackoff() {
    }

    /** The delay before the next delivery of a message received {@code receiveCount} times (1 for the first). */
    public static Duration delay(int receiveCount, DoubleSupplier random) {
        Duration most = ceiling(receiveCount);
        long halfMs = most.toMillis() / 2;
        long ms = halfMs + Math.round(random.getAsDouble() * (most.toMillis() - halfMs));
        return Duration.ofMillis(Math.max(ms, 1_000));
    }

    /** The delay before jitter: {@link #FIRST} × 4^(receives − 1), at most {@link #CAP}. */
    static Duration ceiling(int receiveCount) {
        long seconds = FIRST.toSeconds();
        for (int i = 1; i < Math.max(1, receiveCount) && seconds < CAP.toSeconds(); i++) {
            seconds *= GROWTH;
        }
        return Duration.ofSeconds(Math.min(seconds, CAP.toSeconds()));
    }

    /** The receive count SQS gives a record ({@code ApproximateReceiveCount}); 1 when absent or not a number. */
    public static int receiveCount(Map<String, String> attributes) {
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        if (count == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(count.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
