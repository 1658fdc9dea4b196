package dev.trawl.core.tenant;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket's arithmetic, at fixed instants. */
class TokenBucketTest {
    private static final Instant T = Instant.parse("2026-05-12T10:00:00Z");
    private static final TenantLimits FIFTY = new TenantLimits(50, 100, 100, 2_048);

    @Test
    void aFullBucketServesItsBurstAndTheNextWaitsForOneRefill() {
        TokenBucket bucket = TokenBucket.full(FIFTY, T);
        for (int i = 0; i < 100; i++) {
            TokenBucket.Take take = bucket.take(FIFTY, T);
            assertTrue(take.served(), "request " + i);
            bucket = take.after();
        }
        assertEquals(new TokenBucket(0, T.toEpochMilli()), bucket);
        TokenBucket.Take refused = bucket.take(FIFTY, T);
        assertFalse(refused.served());
        assertEquals(1, refused.retryAfterSeconds(), "a token in 20 ms: never less than a second is said");
        assertTrue(bucket.take(FIFTY, T.plusMillis(20)).served(), "one token every 20 ms");
        assertFalse(bucket.take(FIFTY, T.plusMillis(19)).served());
    }

    @Test
    void theWaitIsTheDeficitOverTheRateRoundedUpToWholeSeconds() {
        TenantLimits onePerSecond = new TenantLimits(1, 10, 1, 1);
        assertEquals(1, new TokenBucket(0, T.toEpochMilli()).take(onePerSecond, T).retryAfterSeconds());
        assertEquals(1, new TokenBucket(1, T.toEpochMilli()).take(onePerSecond, T).retryAfterSeconds(),
                "999 ms to wait is said as 1 s");
        assertFalse(new TokenBucket(500, T.toEpochMilli()).take(onePerSecond, T.plusMillis(499)).served());
        assertTrue(new TokenBucket(500, T.toEpochMilli()).take(onePerSecond, T.plusMillis(500)).served());
    }

    @Test
    void refillStopsAtTheBurstAndALongPauseDoesNotOverflow() {
        TokenBucket.Take take = new TokenBucket(0, 0).take(FIFTY, T);
        assertEquals(new TokenBucket(99_000, T.toEpochMilli()), take.after());
        TokenBucket partly = new TokenBucket(10_000, T.toEpochMilli());
        assertEquals(new TokenBucket(10_000 + 50 * 100 - 1_000, T.plusMillis(100).toEpochMilli()),
                partly.take(FIFTY, T.plusMillis(100)).after(), "100 ms at 50/s: 5 tokens");
        assertEquals(new TokenBucket(99_000, T.plusMillis(2_000).toEpochMilli()),
                partly.take(FIFTY, T.plusMillis(2_000)).after(), "full after 2 s: no more than the burst");
    }

    @Test
    void aClockBehindTheBucketsRefillsNothingAndKeepsItsTime() {
        TokenBucket bucket = new TokenBucket(1_500, T.toEpochMilli());
        assertEquals(new TokenBucket(500, T.toEpochMilli()), bucket.take(FIFTY, T.minusSeconds(5)).after());
    }
}
