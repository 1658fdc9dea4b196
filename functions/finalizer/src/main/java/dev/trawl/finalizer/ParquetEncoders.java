package dev.trawl.finalizer;

import dev.trawl.core.extract.Extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.output.CsvRows;
import dev.trawl.core.output.RowEncoder;
import dev.trawl.core.output.RowEncoders;
import dev.trawl.core.output.TextEncoders;
import dev.trawl.core.util.Json;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * The finalizer's formats: NDJSON and CSV as {@link TextEncoders} writes them, and Parquet with the contract's
 * columns typed (whole numbers INT64, text UTF-8 strings, {@code meta} as a JSON string), zstd-compressed, in row
 * groups of 8 MiB so that the heap stays small whatever the job's size.
 */
public final class ParquetEncoders implements RowEncoders {
    private static final long ROW_GROUP_BYTES = 8L * 1024 * 1024;
    private static final Set<String> WHOLE_NUMBERS = Set.of("line", "http_status", "bytes", "elapsed_ms", "attempts");
    private static final Set<String> REQUIRED = Set.of("line", "url", "status", "bytes", "elapsed_ms", "attempts");
    private final TextEncoders text = new TextEncoders();

    @Override
    public RowEncoder open(OutputSpec output, OutputStream out, List<Extraction.Column> dataFields, boolean firstPart) throws IOException {
        if (!output.format().equals("parquet")) {
            return text.open(output, out, dataFields, firstPart);
        }
        MessageType schema = schema();
        ParquetWriter<JsonNode> writer = new Builder(new StreamOutputFile(out), schema)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ZstdCodecFactory())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .build();
        return new RowEncoder() {
            private long written;

            @Override
            public void write(String row) throws IOException {
                writer.write(Json.read(row, JsonNode.class));
                written += row.length() + 1;
            }

            @Override
            public long written() {
                return written;
            }

            @Override
            public void flush() {
                // a Parquet file grows by whole row groups; its size shows as they are written
            }

            @Override
            public void finish() throws IOException {
                writer.close();
            }
        };
    }

    /** The contract's scalar columns, then {@code meta}; whole numbers INT64, the rest UTF-8 strings. */
    static MessageType schema() {
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
        message.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("meta");
        return message.named("result_row");
    }

    private static final class Builder extends ParquetWriter.Builder<JsonNode, Builder> {
        private final MessageType schema;

        Builder(StreamOutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<JsonNode> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(schema);
        }

        @Override
        protected WriteSupport<JsonNode> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(schema);
        }
    }

    /** One result row (its NDJSON form) as one Parquet record; a null or missing value is an absent field. */
    private static final class RowWriteSupport extends WriteSupport<JsonNode> {
        private final MessageType schema;
        private RecordConsumer consumer;

        RowWriteSupport(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(JsonNode row) {
            consumer.startMessage();
            int index = 0;
            for (String column : CsvRows.SCALAR_COLUMNS) {
                JsonNode value = switch (column) {
                    case "error_code" -> row.path("error").path("code");
                    case "error_message" -> row.path("error").path("message");
                    default -> row.path(column);
                };
                if (!value.isMissingNode() && !value.isNull()) {
                    consumer.startField(column, index);
                    if (WHOLE_NUMBERS.contains(column)) {
                        consumer.addLong(value.asLong());
                    } else {
                        consumer.addBinary(Binary.fromString(value.asText()));
                    }
                    consumer.endField(column, index);
                } else if (REQUIRED.contains(column)) {
                    throw new IllegalArgumentException("row without " + column + ": " + row);
                }
                index++;
            }
            JsonNode meta = row.path("meta");
            if (!meta.isMissingNode() && !meta.isNull()) {
                consumer.startField("meta", index);
                consumer.addBinary(Binary.fromString(Json.write(meta)));
                consumer.endField("meta", index);
            }
            consumer.endMessage();
        }
    }
}
