package dev.trawl.core.testing;

import dev.trawl.core.port.ApiKeyAdmin;
import dev.trawl.core.port.ApiKeyStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link ApiKeyAdmin} in maps, which is also the {@link ApiKeyStore} its keys authenticate through. */
public final class InMemoryApiKeyAdmin implements ApiKeyAdmin, ApiKeyStore {
    private final Map<String, String> tenantsByHash = new ConcurrentHashMap<>();
    private final Map<String, KeyEntry> entriesById = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean create(KeyEntry key) {
        if (key.tenant() == null || key.keyHash() == null) {
            throw new IllegalArgumentException("a key has a tenant and a hash");
        }
        if (entriesById.containsKey(key.keyId()) || tenantsByHash.containsKey(key.keyHash())) {
            return false;
        }
        entriesById.put(key.keyId(), key);
        tenantsByHash.put(key.keyHash(), key.tenant());
        return true;
    }

    @Override
    public List<KeyEntry> list(String tenant) {
        return entriesById.values().stream().filter(entry -> tenant == null || entry.tenant().equals(tenant))
                .sorted(Comparator.comparing(KeyEntry::tenant).thenComparing(KeyEntry::keyId)).toList();
    }

    @Override
    public synchronized Optional<KeyEntry> revoke(String keyId) {
        KeyEntry entry = entriesById.remove(keyId);
        if (entry != null) {
            tenantsByHash.remove(entry.keyHash());
        }
        return Optional.ofNullable(entry);
    }

    @Override
    public Optional<String> tenantOfKeyHash(String keyHash) {
        return Optional.ofNullable(tenantsByHash.get(keyHash));
    }

    @Override
    public void put(String keyHash, String tenant) {
        if (tenant == null) {
            throw new IllegalArgumentException("a key has a tenant");
        }
        tenantsByHash.put(keyHash, tenant);
    }
}
