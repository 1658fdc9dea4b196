package dev.trawl.core.auth;

import dev.trawl.core.testing.InMemoryApiKeyStore;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
    private final Authenticator authenticator = new Authenticator(keys);

    @Test
    void aKnownBearerKeyGivesItsTenant() {
        keys.put(Authenticator.hashOf("trawl_key_a"), "tenant-a");
        keys.put(Authenticator.hashOf("trawl_key_b"), "tenant-b");

        assertEquals(Optional.of("tenant-a"), authenticator.tenantOf("Bearer trawl_key_a"));
        assertEquals(Optional.of("tenant-b"), authenticator.tenantOf("Bearer trawl_key_b"));
        assertEquals(Optional.of("tenant-a"), authenticator.tenantOf("bearer trawl_key_a"));
        assertEquals(Optional.of("tenant-a"), authenticator.tenantOf("Bearer  trawl_key_a "));
    }

    @Test
    void keysAreLookedUpByHashOnly() {
        String hash = Authenticator.hashOf("trawl_key_a");
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertNotEquals("trawl_key_a", hash);
        keys.put(hash, "tenant-a");
        // the hash itself is not a key
        assertEquals(Optional.empty(), authenticator.tenantOf("Bearer " + hash));
    }

    @Test
    void missingMalformedOrUnknownKeysGiveNoTenant() {
        keys.put(Authenticator.hashOf("trawl_key_a"), "tenant-a");
        for (String header : new String[]{null, "", "trawl_key_a", "Basic dHJhd2w6a2V5", "Bearer", "Bearer ", "Bearer    ",
                "Bearer trawl_key_b", "Bearer trawl_key_a2", "Token trawl_key_a", "Bearer " + "k".repeat(257)}) {
            assertEquals(Optional.empty(), authenticator.tenantOf(header), String.valueOf(header));
        }
    }

    /** Tenant ids become S3 prefixes and table keys: a stored key whose tenant breaks the rule is no key at all. */
    @Test
    void aStoredKeyWhoseTenantBreaksTheRuleGivesNoTenant() {
        String[] invalid = {"acme/eu", "Acme", "", "-acme", "../other", "a".repeat(65)};
        for (int i = 0; i < invalid.length; i++) {
            keys.put(Authenticator.hashOf("trawl_key_" + i), invalid[i]);
        }
        keys.put(Authenticator.hashOf("trawl_key_ok"), "acme");

        for (int i = 0; i < invalid.length; i++) {
            assertEquals(Optional.empty(), authenticator.tenantOf("Bearer trawl_key_" + i), invalid[i]);
        }
        assertEquals(Optional.of("acme"), authenticator.tenantOf("Bearer trawl_key_ok"));
    }
}
