package dev.trawl.core.port;

import java.util.Optional;

/** API keys, stored only as SHA-256 hashes. */
public interface ApiKeyStore {
    Optional<String> tenantOfKeyHash(String keyHash);

    void put(String keyHash, String tenant);
}
