package dev.trawl.aws;

import dev.trawl.core.port.ApiKeyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

/** API-key hashes at {@code pk = K#sha256, sk = K}; the key itself is never stored. */
public final class DynamoApiKeyStore implements ApiKeyStore {
    private final DynamoDbClient db;
    private final String table;

    public DynamoApiKeyStore(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String keyHash) {
        return Map.of("pk", AttributeValue.fromS("K#" + keyHash), "sk", AttributeValue.fromS("K"));
    }

    @Override
    public Optional<String> tenantOfKeyHash(String keyHash) {
        var item = db.getItem(b -> b.tableName(table).key(key(keyHash))).item();
        return item == null || !item.containsKey("tenant") ? Optional.empty() : Optional.of(item.get("tenant").s());
    }

    @Override
    public void put(String keyHash, String tenant) {
        var item = new java.util.HashMap<>(key(keyHash));
        item.put("tenant", AttributeValue.fromS(tenant));
        db.putItem(b -> b.tableName(table).item(item));
    }
}
