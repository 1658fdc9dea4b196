package dev.trawl.core.util;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Prefixed ids that sort by creation time: 10 Crockford base-32 characters of epoch milliseconds,
 * then 16 of randomness; within one millisecond the random part counts up, so one process's ids stay in order.
 */
public final class Ids {
    public static final String JOB = "job_";
    public static final String UPLOAD = "upl_";
    /** A job's terminal event; one per job, so it shares the job's id after the prefix. */
    public static final String EVENT = "evt_";
    private static final Pattern JOB_ID = Pattern.compile(pattern(JOB));
    private static final Pattern UPLOAD_ID = Pattern.compile(pattern(UPLOAD));
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock;
    private long lastMillis = -1;
    private long randomHigh;
    private long randomLow;

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public synchronized String next(String prefix) {
        long now = clock.millis();
        if (now == lastMillis) {
            randomLow = (randomLow + 1) & 0xFFFFFFFFFFL;
            if (randomLow == 0) {
                randomHigh = (randomHigh + 1) & 0xFFFFFFFFFFL;
            }
        } else {
            lastMillis = now;
            randomHigh = RANDOM.nextLong() & 0x7FFFFFFFFFL;
            randomLow = RANDOM.nextLong() & 0xFFFFFFFFFFL;
        }
        char[] out = new char[26];
        encode(now, out, 0, 10);
        encode(randomHigh, out, 10, 8);
        encode(randomLow, out, 18, 8);
        return prefix + new String(out);
    }

    private static void encode(long value, char[] out, int offset, int length) {
        for (int i = offset + length - 1; i >= offset; i--) {
            out[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }

    /** The regular expression of the ids with that prefix. */
    public static String pattern(String prefix) {
        return Pattern.quote(prefix) + "[0-9A-Z]{26}";
    }

    /** Whether {@code id} has the form of a job id: a malformed id names no job. */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    public static boolean isUploadId(String id) {
        return id != null && UPLOAD_ID.matcher(id).matches();
    }

    /** A random secret of the given bytes, URL-safe base64 without padding. */
    public static String secret(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
