package dev.trawl.core.auth;

import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.util.Hashing;
import dev.trawl.core.util.Log;

import java.util.Optional;

/**
 * Maps {@code Authorization: Bearer <key>} to the key's tenant by the key's hash. A stored key whose tenant id breaks
 * {@link TenantId#RULE} (written around the checks that create keys) counts as no key: every prefix and table key
 * built from a tenant id relies on the rule.
 */
public final class Authenticator {
    private static final Log LOG = Log.of("authenticator");
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
        Optional<String> tenant = keys.tenantOfKeyHash(Hashing.sha256Hex(key));
        if (tenant.isPresent() && !TenantId.isValid(tenant.get())) {
            LOG.warn(null, "a stored API key names a tenant id that breaks the rule; the key is refused",
                    "tenant", tenant.get(), "rule", TenantId.RULE);
            return Optional.empty();
        }
        return tenant;
    }

    public static String hashOf(String key) {
        return Hashing.sha256Hex(key);
    }
}
