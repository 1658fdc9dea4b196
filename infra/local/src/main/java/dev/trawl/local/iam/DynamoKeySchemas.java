package dev.trawl.local.iam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partition key attribute of each local table and index, so that a call's {@code dynamodb:LeadingKeys} (the
 * partition key values it touches) can be told, as DynamoDB tells IAM.
 */
public final class DynamoKeySchemas {
    private static final Map<String, String> PARTITION_KEYS = new ConcurrentHashMap<>();

    private DynamoKeySchemas() {
    }

    /** @param index null for the table itself */
    public static void register(String table, String index, String partitionKey) {
        PARTITION_KEYS.put(name(table, index), partitionKey);
    }

    static String partitionKey(String table, String index) {
        return PARTITION_KEYS.get(name(table, index));
    }

    private static String name(String table, String index) {
        return index == null ? table : table + "/index/" + index;
    }
}
