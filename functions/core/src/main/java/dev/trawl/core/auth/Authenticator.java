package dev.trawl.core.auth;

import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.util.Hashing;

import java.util.Optional;

/** Maps {@code Authorization: Bearer <key>} to the key's tenant by the key's hash. */
public final class Authenticator {
    private static final int MAX_KEY_LENGTH = 256;
    private final ApiKeyStore keys;

    public Authenticator(ApiKeyStore keys) {
        this.keys = keys;
    }

    public Optional<String> tenantOf(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = authorizationHeader.substring(7).trim();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        return keys.tenantOfKeyHash(Hashing.sha256Hex(key));
    }

    public static String hashOf(String key) {
        return Hashing.sha256Hex(key);
    }
}
