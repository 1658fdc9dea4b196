package dev.trawl.aws.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedeliveryBackoffTest {

    @Test
    void theDelayGrowsFourfoldFromTwoSecondsUpToFiveMinutes() {
        assertEquals(Duration.ofSeconds(2), RedeliveryBackoff.ceiling(1));
        assertEquals(Duration.ofSeconds(8), RedeliveryBackoff.ceiling(2));
        assertEquals(Duration.ofSeconds(32), RedeliveryBackoff.ceiling(3));
        assertEquals(Duration.ofSeconds(128), RedeliveryBackoff.ceiling(4));
        assertEquals(Duration.ofMinutes(5), RedeliveryBackoff.ceiling(5));
        assertEquals(Duration.ofMinutes(5), RedeliveryBackoff.ceiling(1_000), "no overflow past the cap");
        assertEquals(Duration.ofSeconds(2), RedeliveryBackoff.ceiling(0), "a count below 1 is a first receive");
    }

    @Test
    void jitterDrawsBetweenHalfAndAllOfTheDelayAndNeverBelowASecond() {
        assertEquals(Duration.ofSeconds(1), RedeliveryBackoff.delay(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(2), RedeliveryBackoff.delay(1, () -> 1.0));
        assertEquals(Duration.ofSeconds(16), RedeliveryBackoff.delay(3, () -> 0.0));
        assertEquals(Duration.ofSeconds(24), RedeliveryBackoff.delay(3, () -> 0.5));
        assertEquals(Duration.ofSeconds(150), RedeliveryBackoff.delay(9, () -> 0.0));
        for (int receives = 1; receives <= 8; receives++) {
            Duration d = RedeliveryBackoff.delay(receives, Math::random);
            Duration ceiling = RedeliveryBackoff.ceiling(receives);
            assertTrue(d.compareTo(ceiling) <= 0 && d.compareTo(ceiling.dividedBy(2)) >= 0, receives + ": " + d);
        }
    }

    @Test
    void theFiveReceivesBeforeTheDeadLetterQueueSpanMinutesNotSeconds() {
        Duration most = Duration.ZERO;
        Duration least = Duration.ZERO;
        for (int receives = 1; receives <= 5; receives++) {
            most = most.plus(RedeliveryBackoff.delay(receives, () -> 1.0));
            least = least.plus(RedeliveryBackoff.delay(receives, () -> 0.0));
        }
        assertEquals(Duration.ofSeconds(470), most);
        assertEquals(Duration.ofSeconds(235), least);
    }

    @Test
    void theReceiveCountComesFromTheRecordsAttributes() {
        Map<String, String> attributes = new HashMap<>();
        assertEquals(1, RedeliveryBackoff.receiveCount(null));
        assertEquals(1, RedeliveryBackoff.receiveCount(attributes));
        attributes.put("ApproximateReceiveCount", "4");
        assertEquals(4, RedeliveryBackoff.receiveCount(attributes));
        attributes.put("ApproximateReceiveCount", "many");
        assertEquals(1, RedeliveryBackoff.receiveCount(attributes));
    }
}
