package dev.trawl.core.auth;

import dev.trawl.core.port.ApiKeyAdmin;
import dev.trawl.core.port.ApiKeyAdmin.KeyEntry;
import dev.trawl.core.util.Hashing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys for operators ({@code trawl keys create|list|revoke}): a new key is shown once and stored only as its
 * SHA-256 hash, the item {@link Authenticator} reads, so keys made before this command keep working.
 */
public final class OperatorKeys {
    /** What every key made here starts with, so that a leaked key is recognised (e.g. by secret scanners). */
    public static final String KEY_PREFIX = "trawl_";
    /** Random base62 characters after the prefix: about 238 bits. */
    static final int KEY_RANDOM_CHARS = 40;
    /** How much of a key listings show: the prefix and four random characters. */
    static final int VISIBLE_CHARS = 10;
    public static final String ID_PREFIX = "key_";
    static final int ID_RANDOM_CHARS = 12;
    static final int MAX_NAME_LENGTH = 100;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String ID_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Pattern KEY_ID = Pattern.compile(ID_PREFIX + "[0-9a-z]{" + ID_RANDOM_CHARS + "}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 3;

    private final ApiKeyAdmin keys;
    private final Clock clock;

    public OperatorKeys(ApiKeyAdmin keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A key just made: the key itself, to show once, and what is stored of it. */
    public record NewKey(String key, KeyEntry entry) {
        @Override
        public String toString() {
            return "NewKey[" + entry + "]"; // never the key
        }
    }

    /**
     * Makes a key for {@code tenant}.
     *
     * @param name a label for people (printable, at most 100 characters), or null
     * @throws IllegalArgumentException naming what is wrong with the tenant id or the name
     */
    public NewKey create(String tenant, String name) {
        TenantId.require(tenant);
        String label = name == null || name.isBlank() ? null : name.strip();
        if (label != null && (label.length() > MAX_NAME_LENGTH || !label.chars().allMatch(c -> c >= 0x20 && c != 0x7f))) {
            throw new IllegalArgumentException("a key's name is at most " + MAX_NAME_LENGTH
                    + " printable characters, on one line");
        }
        // An id or hash already taken is as good as impossible; trying again costs nothing.
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String key = KEY_PREFIX + random(BASE62, KEY_RANDOM_CHARS);
            KeyEntry entry = new KeyEntry(ID_PREFIX + random(ID_CHARACTERS, ID_RANDOM_CHARS), tenant, label,
                    key.substring(0, VISIBLE_CHARS), clock.instant(), Hashing.sha256Hex(key));
            if (keys.create(entry)) {
                return new NewKey(key, entry);
            }
        }
        throw new IllegalStateException("no new key id after " + ATTEMPTS + " tries");
    }

    /** The keys of a tenant, or of all tenants when {@code tenant} is null. */
    public List<KeyEntry> list(String tenant) {
        if (tenant != null) {
            TenantId.require(tenant);
        }
        return keys.list(tenant);
    }

    /**
     * Revokes a key by its id: it stops working at once (the authorizer keeps no answer).
     *
     * @return the key revoked, or empty when no key has that id
     * @throws IllegalArgumentException when the id is not a key id at all
     */
    public Optional<KeyEntry> revoke(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is " + ID_PREFIX + " and " + ID_RANDOM_CHARS
                    + " lower-case letters or digits, as 'trawl keys list' shows it");
        }
        return keys.revoke(keyId);
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
