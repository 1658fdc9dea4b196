package dev.trawl.core.submit;

import dev.trawl.core.util.Hashing;

import java.time.Duration;

/** An Idempotency-Key with what the request it came with looked like. */
public record Idempotency(String key, String fingerprint) {
    /** How long a key is remembered. */
    public static final Duration WINDOW = Duration.ofHours(24);

    /** Null when there is no key; the fingerprint covers the request's route and body. */
    public static Idempotency of(String key, String route, String body) {
        return key == null ? null : new Idempotency(key, Hashing.sha256Hex(route + "\n" + (body == null ? "" : body)));
    }
}
