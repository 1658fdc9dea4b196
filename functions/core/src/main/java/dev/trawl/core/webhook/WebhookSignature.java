package dev.trawl.core.webhook;

import dev.trawl.core.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The {@code Trawl-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">} keyed with
 * the job's webhook secret. {@link #verify} is what a receiver runs; the tests run it on what they receive.
 */
public final class WebhookSignature {
    /** How old a signature a receiver should accept by default: replayed deliveries older than this are refused. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    public static String header(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + hex(secret, t, body);
    }

    /**
     * Whether {@code header} is a signature of exactly {@code body} with {@code secret}, made within {@code tolerance}
     * of {@code now}. Several {@code v1} values (a secret being rotated) pass if any matches.
     */
    public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
        if (secret == null || header == null || body == null) {
            return false;
        }
        Long t = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (t == null || signatures.isEmpty() || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hex(secret, t, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String signature : signatures) {
            // constant time, so that a forger learns nothing from how long a wrong guess took
            match |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    private static String hex(String secret, long t, String body) {
        return HexFormat.of().formatHex(Hashing.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), t + "." + body));
    }
}
