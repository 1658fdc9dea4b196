package dev.trawl.core.auth;

import dev.trawl.core.port.ApiKeyAdmin.KeyEntry;
import dev.trawl.core.testing.InMemoryApiKeyAdmin;
import dev.trawl.core.util.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operators' keys: made once, stored as hashes, listed and revoked by id; they authenticate through the authorizer's path. */
class OperatorKeysTest {
    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    private final InMemoryApiKeyAdmin store = new InMemoryApiKeyAdmin();
    private final OperatorKeys keys = new OperatorKeys(store, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Authenticator authenticator = new Authenticator(store);

    @Test
    void aNewKeyIsTrawlPrefixedBase62AndStoredOnlyAsItsHash() {
        OperatorKeys.NewKey made = keys.create("acme", "ci");

        assertTrue(made.key().matches("trawl_[0-9A-Za-z]{40}"), made.key());
        KeyEntry entry = made.entry();
        assertTrue(entry.keyId().matches("key_[0-9a-z]{12}"), entry.keyId());
        assertEquals("acme", entry.tenant());
        assertEquals("ci", entry.name());
        assertEquals(made.key().substring(0, 10), entry.prefix());
        assertEquals(NOW, entry.createdAt());
        assertEquals(Hashing.sha256Hex(made.key()), entry.keyHash());
        assertFalse(entry.toString().contains(made.key()), "the entry holds no key");
        assertFalse(made.toString().contains(made.key()), "nor does the new key's text");
        assertEquals(List.of(entry), keys.list("acme"));
    }

    @Test
    void theKeyAuthenticatesAsItsTenantUntilRevoked() {
        OperatorKeys.NewKey made = keys.create("acme", null);
        assertEquals(Optional.of("acme"), authenticator.tenantOf("Bearer " + made.key()));

        assertEquals(Optional.of(made.entry()), keys.revoke(made.entry().keyId()));

        assertEquals(Optional.empty(), authenticator.tenantOf("Bearer " + made.key()));
        assertEquals(Optional.empty(), keys.revoke(made.entry().keyId()));
    }

    @Test
    void keysAndIdsDiffer() {
        Set<String> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            OperatorKeys.NewKey made = keys.create("acme", null);
            assertTrue(seen.add(made.key()));
            assertTrue(ids.add(made.entry().keyId()));
        }
    }

    @Test
    void aBlankNameIsNoneAndANameIsTrimmed() {
        assertNull(keys.create("acme", "  ").entry().name());
        assertEquals("deploy bot", keys.create("acme", " deploy bot ").entry().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme", "acme/eu", "", "acme#1"})
    void aTenantOffTheRuleIsRefusedAndNothingIsStored(String tenant) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> keys.create(tenant, null));
        assertTrue(refused.getMessage().contains(TenantId.RULE), refused.getMessage());
        assertEquals(List.of(), store.list(null));
    }

    @Test
    void aNameTooLongOrOnTwoLinesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> keys.create("acme", "x".repeat(101)));
        assertThrows(IllegalArgumentException.class, () -> keys.create("acme", "two\nlines"));
        assertEquals("x".repeat(100), keys.create("acme", "x".repeat(100)).entry().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "key_", "key_ABCDEFGHIJKL", "trawl_abc", "key_abc", "key_0123456789abc"})
    void somethingThatIsNoKeyIdIsRefused(String id) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> keys.revoke(id));
        assertTrue(refused.getMessage().contains("key_"), refused.getMessage());
    }

    @Test
    void listingByTenantOrAll() {
        KeyEntry acme = keys.create("acme", null).entry();
        KeyEntry globex = keys.create("globex", null).entry();
        assertEquals(List.of(acme), keys.list("acme"));
        assertEquals(List.of(acme, globex), keys.list(null));
        assertThrows(IllegalArgumentException.class, () -> keys.list("Acme"));
    }
}
