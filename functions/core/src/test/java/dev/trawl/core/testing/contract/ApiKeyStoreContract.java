package dev.trawl.core.testing.contract;

import dev.trawl.core.port.ApiKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ApiKeyStore}: key hashes to tenants. The case named {@code ...AsDynamoDbRefusesIt} is a write DynamoDB refuses. */
public abstract class ApiKeyStoreContract {
    private ApiKeyStore keys;

    /** The store; called once per test. */
    protected abstract ApiKeyStore keys();

    @BeforeEach
    final void openStore() {
        keys = keys();
    }

    private static String newHash() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aKeyHashNamesItsTenant() {
        String hash = newHash();
        assertEquals(Optional.empty(), keys.tenantOfKeyHash(hash));
        keys.put(hash, "acme");
        assertEquals(Optional.of("acme"), keys.tenantOfKeyHash(hash));
        keys.put(hash, "globex");
        assertEquals(Optional.of("globex"), keys.tenantOfKeyHash(hash), "put again: the key moves");
        assertEquals(Optional.empty(), keys.tenantOfKeyHash(newHash()));
    }

    @Test
    void aKeyWithoutATenantIsRefusedAsDynamoDbRefusesIt() {
        String hash = newHash();
        assertThrows(RuntimeException.class, () -> keys.put(hash, null));
        assertEquals(Optional.empty(), keys.tenantOfKeyHash(hash));
    }
}
