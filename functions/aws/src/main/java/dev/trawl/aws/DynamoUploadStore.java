package dev.trawl.aws;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.uploadKey;

/** Uploads in {@link DynamoTable}, in a partition of their own per tenant. */
public final class DynamoUploadStore implements UploadStore {
    private final DynamoTable table;

    public DynamoUploadStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public void create(Upload upload) {
        table.putNew(DynamoTable.newUploadItem(upload));
    }

    @Override
    public Optional<Upload> find(String tenant, String uploadId) {
        return table.read(uploadKey(tenant, uploadId)).map(DynamoTable::toUpload);
    }

    @Override
    public boolean startChecking(String tenant, String uploadId) {
        return table.updateIf(uploadKey(tenant, uploadId), "SET #status = :processing", "#status = :pending",
                Map.of(":processing", status(UploadStatus.PROCESSING), ":pending", status(UploadStatus.PENDING)));
    }

    @Override
    public void markReady(String tenant, String uploadId, InputFormat format, long bytes, long urlCount, long invalidLines,
                          String etag) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":ready", status(UploadStatus.READY),
                ":format", s(format.wire()), ":bytes", n(bytes), ":urls", n(urlCount), ":invalid", n(invalidLines)));
        String pin = "";
        if (etag != null) {
            values.put(":etag", s(etag));
            pin = ", object_etag = :etag";
        }
        table.updateOrThrow(uploadKey(tenant, uploadId),
                "SET #status = :ready, input_format = :format, size_bytes = :bytes, url_count = :urls, "
                        + "invalid_lines = :invalid" + pin + " REMOVE error_code, error_message",
                "attribute_exists(pk)", values);
    }

    /** A size not given keeps the one stored. */
    @Override
    public void markInvalid(String tenant, String uploadId, Long bytes, Failure error) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":invalid", status(UploadStatus.INVALID),
                ":code", s(error.code()), ":message", s(error.message())));
        String setBytes = "";
        if (bytes != null) {
            values.put(":bytes", n(bytes));
            setBytes = ", size_bytes = :bytes";
        }
        table.updateOrThrow(uploadKey(tenant, uploadId),
                "SET #status = :invalid, error_code = :code, error_message = :message" + setBytes,
                "attribute_exists(pk)", values);
    }

    private static AttributeValue status(UploadStatus status) {
        return s(status.wire());
    }
}
