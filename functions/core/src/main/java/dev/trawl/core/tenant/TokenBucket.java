package dev.trawl.core.tenant;

import java.time.Instant;

/**
 * A tenant's request bucket: it holds up to {@code burst} tokens, refills at {@code requestsPerSecond}, and every
 * request takes one. Tokens are counted in thousandths so that a stored bucket compares exactly; {@code atMillis}
 * never goes back, so a container whose clock runs behind another's cannot refill the bucket twice.
 */
public record TokenBucket(long milliTokens, long atMillis) {
    private static final long ONE = 1_000;

    /** What taking a token does: a new bucket to store, or none, and the seconds to wait. */
    public record Take(TokenBucket after, long retryAfterSeconds) {
        public boolean served() {
            return after != null;
        }
    }

    /** A bucket never seen is full. */
    public static TokenBucket full(TenantLimits limits, Instant now) {
        return new TokenBucket(limits.burst() * ONE, now.toEpochMilli());
    }

    /** Refills the bucket up to {@code now}, then takes one token, or says how long until one is there (≥ 1 s). */
    public Take take(TenantLimits limits, Instant now) {
        long capacity = limits.burst() * ONE;
        long elapsed = Math.max(0, now.toEpochMilli() - atMillis);
        // a rate of r tokens per second is r thousandths per millisecond
        long refilled = elapsed >= capacity / limits.requestsPerSecond() + 1
                ? capacity : Math.min(capacity, milliTokens + elapsed * limits.requestsPerSecond());
        long at = Math.max(atMillis, now.toEpochMilli());
        if (refilled >= ONE) {
            return new Take(new TokenBucket(refilled - ONE, at), 0);
        }
        long waitMillis = ceilDiv(ONE - refilled, limits.requestsPerSecond());
        return new Take(null, Math.max(1, ceilDiv(waitMillis, 1_000)));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
