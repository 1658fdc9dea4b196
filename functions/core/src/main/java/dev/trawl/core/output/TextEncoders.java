package dev.trawl.core.output;

import dev.trawl.core.extract.Extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.util.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** NDJSON and CSV, gzipped when asked. */
public final class TextEncoders implements RowEncoders {

    @Override
    public RowEncoder open(OutputSpec output, OutputStream out, List<Extraction.Column> dataFields, boolean firstPart) throws IOException {
        boolean csv = switch (output.format()) {
            case "ndjson" -> false;
            case "csv" -> true;
            default -> throw new IllegalArgumentException("no text encoder for " + output.format());
        };
        // Sync-flushing gzip, so that a flush shows the compressed size so far (flushed only to measure it).
        OutputStream compressed = output.gzip() ? new GZIPOutputStream(out, 64 * 1024, true) : out;
        Writer writer = new BufferedWriter(new OutputStreamWriter(compressed, StandardCharsets.UTF_8), 64 * 1024);
        CsvRows rows = csv ? new CsvRows(writer, dataFields) : null;
        if (rows != null && firstPart) {
            rows.writeHeader();
        }
        return new RowEncoder() {
            private long written;

            @Override
            public void write(String row) throws IOException {
                if (rows != null) {
                    rows.write(Json.read(row, JsonNode.class));
                } else {
                    writer.write(row);
                    writer.write('\n');
                }
                written += row.length() + 1;
            }

            @Override
            public long written() {
                return written;
            }

            @Override
            public void flush() throws IOException {
                writer.flush();
            }

            @Override
            public void finish() throws IOException {
                writer.flush();
                if (compressed instanceof GZIPOutputStream gzip) {
                    // Ends the gzip stream and frees its native deflater; the upload's stream ignores the close.
                    gzip.close();
                } else {
                    compressed.flush();
                }
            }
        };
    }
}
