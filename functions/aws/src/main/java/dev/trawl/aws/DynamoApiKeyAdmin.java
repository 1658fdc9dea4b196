package dev.trawl.aws;

import dev.trawl.core.port.ApiKeyAdmin;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/**
 * Operators' keys in {@link DynamoTable}: the hash item the authorizer reads ({@code pk = K#{sha256}}, as
 * {@link DynamoApiKeyStore} writes it) and a listing entry in one partition, {@code pk = KEYS},
 * {@code sk = {tenant}#{key id}}, written and deleted together in one transaction. A tenant's keys are a query of
 * the partition with {@code begins_with(sk, "{tenant}#")} ({@code #} sorts before every character a tenant id may
 * hold, so tenant {@code a} never reads {@code a-b}'s); revoking by id queries the partition for the id. One
 * partition is fine for what operators do by hand: thousands of keys, a few writes a day.
 */
public final class DynamoApiKeyAdmin implements ApiKeyAdmin {
    static final String PARTITION = "KEYS";
    private static final int ATTEMPTS = 3;
    private final DynamoTable table;

    public DynamoApiKeyAdmin(DynamoTable table) {
        this.table = table;
    }

    private static Map<String, AttributeValue> entryKey(String tenant, String keyId) {
        return Map.of("pk", s(PARTITION), "sk", s(tenant + "#" + keyId));
    }

    @Override
    public boolean create(KeyEntry key) {
        if (key.tenant() == null || key.keyHash() == null) {
            throw new IllegalArgumentException("a key has a tenant and a hash");
        }
        var hashItem = new HashMap<>(DynamoTable.apiKey(key.keyHash()));
        hashItem.put("tenant", s(key.tenant()));
        hashItem.put("key_id", s(key.keyId()));
        var entry = new HashMap<>(entryKey(key.tenant(), key.keyId()));
        entry.put("tenant", s(key.tenant()));
        entry.put("key_id", s(key.keyId()));
        if (key.name() != null) {
            entry.put("name", s(key.name()));
        }
        entry.put("prefix", s(key.prefix()));
        entry.put("created_at", s(key.createdAt().toString()));
        entry.put("key_hash", s(key.keyHash()));
        DynamoTable.Transacted written = table.transact(ATTEMPTS,
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(hashItem)
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(entry)
                        .conditionExpression("attribute_not_exists(pk)")).build());
        return written instanceof DynamoTable.Transacted.Written;
    }

    @Override
    public List<KeyEntry> list(String tenant) {
        QueryRequest.Builder query = QueryRequest.builder().consistentRead(true);
        if (tenant == null) {
            query.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(PARTITION)));
        } else {
            query.keyConditionExpression("pk = :pk AND begins_with(sk, :tenant)")
                    .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":tenant", s(tenant + "#")));
        }
        return table.query(query).stream().map(DynamoApiKeyAdmin::toEntry).toList();
    }

    @Override
    public Optional<KeyEntry> revoke(String keyId) {
        Optional<KeyEntry> found = table.query(QueryRequest.builder().consistentRead(true)
                        .keyConditionExpression("pk = :pk").filterExpression("key_id = :id")
                        .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":id", s(keyId))))
                .stream().map(DynamoApiKeyAdmin::toEntry).findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        KeyEntry key = found.get();
        DynamoTable.Transacted deleted = table.transact(ATTEMPTS,
                TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(entryKey(key.tenant(), keyId))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(DynamoTable.apiKey(key.keyHash())))
                        .build());
        // Refused: another revoke of the same key got there first.
        return deleted instanceof DynamoTable.Transacted.Written ? found : Optional.empty();
    }

    private static KeyEntry toEntry(Map<String, AttributeValue> item) {
        return new KeyEntry(str(item, "key_id"), str(item, "tenant"), str(item, "name"), str(item, "prefix"),
                Instant.parse(str(item, "created_at")), str(item, "key_hash"));
    }
}
