package dev.trawl.finalizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.output.CsvRows;
import dev.trawl.core.util.Json;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.util.List;
import java.util.Set;

/**
 * The contract's columns as a Parquet schema, and one result row (its NDJSON form) as one record of it: the scalar
 * columns (whole numbers INT64, the rest UTF-8 strings), one {@code data.<field>} column per extract field (see
 * {@link DataColumn}), then {@code meta} as a JSON string. The same order as the CSV's columns. A null or missing
 * value is an absent field.
 */
final class ParquetRows {
    private static final Set<String> WHOLE_NUMBERS = Set.of("line", "http_status", "bytes", "elapsed_ms", "attempts");
    private static final Set<String> REQUIRED = Set.of("line", "url", "status", "bytes", "elapsed_ms", "attempts");
    private final List<DataColumn> dataColumns;
    private final MessageType schema;

    ParquetRows(List<Extraction.Column> dataFields) {
        this.dataColumns = dataFields.stream().map(DataColumn::new).toList();
        this.schema = buildSchema();
    }

    MessageType schema() {
        return schema;
    }

    void write(JsonNode row, RecordConsumer consumer) {
        consumer.startMessage();
        int index = 0;
        for (String column : CsvRows.SCALAR_COLUMNS) {
            writeScalar(row, column, consumer, index++);
        }
        JsonNode data = row.path("data");
        for (DataColumn column : dataColumns) {
            column.write(data, consumer, index++);
        }
        JsonNode meta = row.path("meta");
        if (!meta.isMissingNode() && !meta.isNull()) {
            consumer.startField("meta", index);
            consumer.addBinary(Binary.fromString(Json.write(meta)));
            consumer.endField("meta", index);
        }
        consumer.endMessage();
    }

    private MessageType buildSchema() {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (String column : CsvRows.SCALAR_COLUMNS) {
            boolean required = REQUIRED.contains(column);
            if (WHOLE_NUMBERS.contains(column)) {
                (required ? message.required(PrimitiveTypeName.INT64) : message.optional(PrimitiveTypeName.INT64)).named(column);
            } else {
                (required ? message.required(PrimitiveTypeName.BINARY) : message.optional(PrimitiveTypeName.BINARY))
                        .as(LogicalTypeAnnotation.stringType()).named(column);
            }
        }
        dataColumns.forEach(column -> column.declare(message));
        message.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("meta");
        return message.named("result_row");
    }

    private static void writeScalar(JsonNode row, String column, RecordConsumer consumer, int index) {
        JsonNode value = switch (column) {
            case "error_code" -> row.path("error").path("code");
            case "error_message" -> row.path("error").path("message");
            default -> row.path(column);
        };
        if (value.isMissingNode() || value.isNull()) {
            if (REQUIRED.contains(column)) {
                throw new IllegalArgumentException("row without " + column + ": " + row);
            }
            return;
        }
        consumer.startField(column, index);
        if (WHOLE_NUMBERS.contains(column)) {
            consumer.addLong(value.asLong());
        } else {
            consumer.addBinary(Binary.fromString(value.asText()));
        }
        consumer.endField(column, index);
    }
}
