package dev.trawl.finalizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.util.Json;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * One extract field's {@code data.<field>} column: OPTIONAL, typed by the field's value type (number DOUBLE,
 * integer INT64, boolean BOOLEAN, string a UTF-8 string; a list field a string holding the array's JSON text).
 *
 * <p>The extractor coerces every value to its field's type, so a value of another kind should never come; if one
 * does, the field is left absent rather than failing the whole result file over one cell.
 */
final class DataColumn {
    private final String fieldName;
    private final String columnName;
    private final Kind kind;

    private enum Kind { STRING, NUMBER, INTEGER, BOOLEAN, LIST }

    DataColumn(Extraction.Column field) {
        this.fieldName = field.name();
        this.columnName = "data." + field.name();
        this.kind = field.list() ? Kind.LIST : switch (field.type()) {
            case STRING -> Kind.STRING;
            case NUMBER -> Kind.NUMBER;
            case INTEGER -> Kind.INTEGER;
            case BOOLEAN -> Kind.BOOLEAN;
        };
    }

    String name() {
        return columnName;
    }

    void declare(Types.MessageTypeBuilder message) {
        switch (kind) {
            case NUMBER -> message.optional(PrimitiveTypeName.DOUBLE).named(columnName);
            case INTEGER -> message.optional(PrimitiveTypeName.INT64).named(columnName);
            case BOOLEAN -> message.optional(PrimitiveTypeName.BOOLEAN).named(columnName);
            case STRING, LIST -> message.optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.stringType()).named(columnName);
        }
    }

    /**
     * Writes the field's value from a row's {@code data} (an object, null or missing) as the column at
     * {@code index}; nothing when the value is null, missing or not of the column's type.
     */
    void write(JsonNode data, RecordConsumer consumer, int index) {
        JsonNode value = data.path(fieldName);
        switch (kind) {
            case STRING -> {
                if (value.isTextual()) {
                    field(consumer, index, () -> consumer.addBinary(Binary.fromString(value.textValue())));
                }
            }
            case LIST -> {
                if (value.isArray()) {
                    field(consumer, index, () -> consumer.addBinary(Binary.fromString(Json.write(value))));
                }
            }
            case NUMBER -> {
                // Floats arrive as BigDecimal (the service's mapper reads them so); one beyond a double's range
                // would become an infinity, which is not the page's number.
                double number = value.isNumber() ? value.doubleValue() : Double.NaN;
                if (Double.isFinite(number)) {
                    field(consumer, index, () -> consumer.addDouble(number));
                }
            }
            case INTEGER -> {
                // 3.0 is a whole number and fits; 2.5 or one beyond a long's range does not.
                if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
                    field(consumer, index, () -> consumer.addLong(value.longValue()));
                }
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    field(consumer, index, () -> consumer.addBoolean(value.booleanValue()));
                }
            }
        }
    }

    private void field(RecordConsumer consumer, int index, Runnable add) {
        consumer.startField(columnName, index);
        add.run();
        consumer.endField(columnName, index);
    }
}
