package dev.trawl.aws;

import dev.trawl.core.port.ApiKeyStore;

import java.util.HashMap;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/** API-key hashes in {@link DynamoTable}; the key itself is never stored. */
public final class DynamoApiKeyStore implements ApiKeyStore {
    private final DynamoTable table;

    public DynamoApiKeyStore(DynamoTable table) {
        this.table = table;
    }

    /** Read on every request, and keys seldom change: an eventually consistent read, at half the cost. */
    @Override
    public Optional<String> tenantOfKeyHash(String keyHash) {
        return table.readEventually(DynamoTable.apiKey(keyHash)).map(item -> str(item, "tenant"));
    }

    @Override
    public void put(String keyHash, String tenant) {
        var item = new HashMap<>(DynamoTable.apiKey(keyHash));
        item.put("tenant", s(tenant));
        table.put(item);
    }
}
