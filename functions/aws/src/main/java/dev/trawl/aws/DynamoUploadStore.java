package dev.trawl.aws;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoJobStore.n;
import static dev.trawl.aws.DynamoJobStore.num;
import static dev.trawl.aws.DynamoJobStore.s;
import static dev.trawl.aws.DynamoJobStore.str;

/** Uploads at {@code pk = TU#tenant, sk = U#uploadId}, apart from the tenant's jobs so that job lists never meet them. */
public final class DynamoUploadStore implements UploadStore {
    private static final Map<String, String> STATUS = Map.of("#status", "status");
    private final DynamoDbClient db;
    private final String table;

    public DynamoUploadStore(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String tenant, String uploadId) {
        return Map.of("pk", s("TU#" + tenant), "sk", s("U#" + uploadId));
    }

    @Override
    public void create(Upload upload) {
        Map<String, AttributeValue> item = new HashMap<>(key(upload.tenant(), upload.id()));
        item.put("id", s(upload.id()));
        item.put("tenant", s(upload.tenant()));
        if (upload.filename() != null) {
            item.put("filename", s(upload.filename()));
        }
        item.put("status", s(upload.status().wire()));
        item.put("created_at", s(upload.createdAt().toString()));
        if (upload.declaredBytes() != null) {
            item.put("declared_bytes", n(upload.declaredBytes()));
        }
        db.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Upload> find(String tenant, String uploadId) {
        var item = db.getItem(b -> b.tableName(table).key(key(tenant, uploadId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Upload(str(item, "id"), str(item, "tenant"), str(item, "filename"),
                UploadStatus.fromWire(str(item, "status")), Instant.parse(str(item, "created_at")),
                item.containsKey("declared_bytes") ? num(item, "declared_bytes") : null,
                item.containsKey("input_format") ? InputFormat.fromWire(str(item, "input_format")) : null,
                item.containsKey("size_bytes") ? num(item, "size_bytes") : null,
                item.containsKey("url_count") ? num(item, "url_count") : null,
                item.containsKey("invalid_lines") ? num(item, "invalid_lines") : null,
                item.containsKey("error_code") ? new Failure(str(item, "error_code"), str(item, "error_message")) : null));
    }

    @Override
    public boolean startChecking(String tenant, String uploadId) {
        try {
            db.updateItem(b -> b.tableName(table).key(key(tenant, uploadId)).updateExpression("SET #status = :processing")
                    .conditionExpression("#status = :pending").expressionAttributeNames(STATUS)
                    .expressionAttributeValues(Map.of(":processing", s("processing"), ":pending", s("pending"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void markReady(String tenant, String uploadId, InputFormat format, long bytes, long urlCount, long invalidLines) {
        db.updateItem(b -> b.tableName(table).key(key(tenant, uploadId))
                .updateExpression("SET #status = :ready, input_format = :format, size_bytes = :bytes, url_count = :urls, "
                        + "invalid_lines = :invalid REMOVE error_code, error_message")
                .conditionExpression("attribute_exists(pk)").expressionAttributeNames(STATUS)
                .expressionAttributeValues(Map.of(":ready", s("ready"), ":format", s(format.wire()), ":bytes", n(bytes),
                        ":urls", n(urlCount), ":invalid", n(invalidLines))));
    }

    @Override
    public void markInvalid(String tenant, String uploadId, Long bytes, Failure error) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":invalid", s("invalid"), ":code", s(error.code()),
                ":message", s(error.message())));
        String setBytes = "";
        if (bytes != null) {
            values.put(":bytes", n(bytes));
            setBytes = ", size_bytes = :bytes";
        }
        String update = "SET #status = :invalid, error_code = :code, error_message = :message" + setBytes;
        db.updateItem(b -> b.tableName(table).key(key(tenant, uploadId)).updateExpression(update)
                .conditionExpression("attribute_exists(pk)").expressionAttributeNames(STATUS)
                .expressionAttributeValues(values));
    }
}
