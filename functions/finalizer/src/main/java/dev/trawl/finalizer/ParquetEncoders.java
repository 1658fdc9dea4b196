package dev.trawl.finalizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.output.RowEncoder;
import dev.trawl.core.output.RowEncoders;
import dev.trawl.core.output.TextEncoders;
import dev.trawl.core.util.Json;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The finalizer's formats: NDJSON and CSV as {@link TextEncoders} writes them, and Parquet with the contract's
 * columns typed (see {@link ParquetRows}), extract fields included, zstd-compressed, in row groups of 8 MiB so that
 * the heap stays small whatever the job's size.
 */
public final class ParquetEncoders implements RowEncoders {
    private static final long ROW_GROUP_BYTES = 8L * 1024 * 1024;
    private final TextEncoders text = new TextEncoders();

    @Override
    public RowEncoder open(OutputSpec output, OutputStream out, List<Extraction.Column> dataFields, boolean firstPart) throws IOException {
        if (!output.format().equals("parquet")) {
            return text.open(output, out, dataFields, firstPart);
        }
        ParquetWriter<JsonNode> writer = new Builder(new StreamOutputFile(out), new ParquetRows(dataFields))
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

    private static final class Builder extends ParquetWriter.Builder<JsonNode, Builder> {
        private final ParquetRows rows;

        Builder(StreamOutputFile file, ParquetRows rows) {
            super(file);
            this.rows = rows;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<JsonNode> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(rows);
        }

        @Override
        protected WriteSupport<JsonNode> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(rows);
        }
    }
}
