package dev.trawl.core.testing;

import dev.trawl.core.port.ApiKeyStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link ApiKeyStore} in a map of key hash to tenant. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final Map<String, String> tenants = new ConcurrentHashMap<>();

    @Override
    public Optional<String> tenantOfKeyHash(String keyHash) {
        return Optional.ofNullable(tenants.get(keyHash));
    }

    @Override
    public void put(String keyHash, String tenant) {
        tenants.put(keyHash, tenant);
    }
}
