package dev.trawl.finalizer;

import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.output.ResultWriter;
import dev.trawl.core.port.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet result files, read back by DuckDB, a reader that shares nothing with the writer's library. */
class ParquetEncodersTest {

    /** Objects in memory, committed only on commit. */
    private static final class Blobs implements BlobStore {
        final Map<String, byte[]> objects = new HashMap<>();

        @Override
        public void put(String key, byte[] content, String contentType) {
            objects.put(key, content);
        }

        @Override
        public InputStream open(String key) {
            return new java.io.ByteArrayInputStream(objects.get(key));
        }

        @Override
        public Upload create(String key, String contentType) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            return new Upload() {
                @Override
                public OutputStream stream() {
                    return buffer;
                }

                @Override
                public void commit() {
                    objects.put(key, buffer.toByteArray());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void delete(String key) {
        }

        @Override
        public int deletePrefix(String prefix) {
            return 0;
        }

        @Override
        public URI presignGet(String key, Duration ttl) {
            return URI.create("https://blobs.test/" + key);
        }

        @Override
        public URI presignPut(String key, long contentLength, Duration ttl) {
            return URI.create("https://blobs.test/" + key);
        }
    }

    private static String row(int line) {
        boolean error = line % 3 == 0;
        return "{\"line\":" + line + ",\"url\":\"https://a.example/" + line + "\",\"status\":\"" + (error ? "error" : "ok") + "\","
                + "\"http_status\":" + (line % 5 == 0 ? "null" : error ? "404" : "200") + ","
                + "\"final_url\":\"https://a.example/" + line + "\",\"content_type\":\"text/html; charset=utf-8\","
                + "\"bytes\":" + (line * 10) + ",\"elapsed_ms\":" + (line % 97) + ",\"attempts\":1,"
                + "\"fetched_at\":\"2026-11-24T02:00:00.000Z\",\"data\":null,"
                + "\"meta\":" + (line % 2 == 0 ? "{\"sku\":\"S-" + line + "\",\"tags\":[\"a\",\"b, c\"]}" : "null") + ","
                + "\"error\":" + (error ? "{\"code\":\"http_error\",\"message\":\"HTTP 404\"}" : "null") + "}";
    }

    @Test
    void aParquetResultReadsBackWithItsTypesAndValues(@TempDir Path dir) throws Exception {
        Blobs blobs = new Blobs();
        int rows = 20_000;
        List<ResultWriter.WrittenPart> parts;
        try (ResultWriter writer = new ResultWriter(blobs, "acme", "job_01JD3F2D1A77B0E1XYZ0000000",
                new OutputSpec("parquet", false), Long.MAX_VALUE, List.of(), new ParquetEncoders())) {
            for (int i = 1; i <= rows; i++) {
                writer.row(row(i));
            }
            parts = writer.finish();
        }
        assertEquals(1, parts.size());
        assertTrue(parts.getFirst().key().endsWith("/result-00001.parquet"));
        byte[] file = blobs.objects.get(parts.getFirst().key());
        assertEquals(parts.getFirst().bytes(), file.length);
        assertArrayEquals("PAR1".getBytes(), java.util.Arrays.copyOfRange(file, file.length - 4, file.length));
        Path parquet = dir.resolve("result.parquet");
        Files.write(parquet, file);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            String from = " FROM read_parquet('" + parquet + "')";
            try (ResultSet types = sql.executeQuery("SELECT typeof(line), typeof(url), typeof(http_status), typeof(bytes), "
                    + "typeof(meta), count(*)" + from + " GROUP BY ALL")) {
                assertTrue(types.next());
                assertEquals(List.of("BIGINT", "VARCHAR", "BIGINT", "BIGINT", "VARCHAR"),
                        List.of(types.getString(1), types.getString(2), types.getString(3), types.getString(4), types.getString(5)));
                assertEquals(rows, types.getLong(6));
                assertFalse(types.next());
            }
            try (ResultSet check = sql.executeQuery("SELECT count(*) FILTER (WHERE http_status IS NULL), "
                    + "count(*) FILTER (WHERE error_code = 'http_error'), sum(bytes), min(line), max(line), "
                    + "count(*) FILTER (WHERE meta IS NULL)" + from)) {
                assertTrue(check.next());
                assertEquals(rows / 5, check.getLong(1));
                assertEquals(rows / 3, check.getLong(2));
                assertEquals(10L * rows * (rows + 1) / 2, check.getLong(3));
                assertEquals(1, check.getLong(4));
                assertEquals(rows, check.getLong(5));
                assertEquals(rows / 2, check.getLong(6));
            }
            try (ResultSet one = sql.executeQuery("SELECT url, status, meta, error_message" + from + " WHERE line = 6")) {
                assertTrue(one.next());
                assertEquals("https://a.example/6", one.getString(1));
                assertEquals("error", one.getString(2));
                assertEquals("{\"sku\":\"S-6\",\"tags\":[\"a\",\"b, c\"]}", one.getString(3));
                assertEquals("HTTP 404", one.getString(4));
            }
            List<String> codecs = new ArrayList<>();
            try (ResultSet meta = sql.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('" + parquet + "')")) {
                while (meta.next()) {
                    codecs.add(meta.getString(1));
                }
            }
            assertEquals(List.of("ZSTD"), codecs);
        }
    }

    @Test
    void textFormatsStillComeFromTheTextEncoders() throws IOException {
        Blobs blobs = new Blobs();
        try (ResultWriter writer = new ResultWriter(blobs, "acme", "job_01JD3F2D1A77B0E1XYZ0000000",
                new OutputSpec("csv", false), Long.MAX_VALUE, List.of(), new ParquetEncoders())) {
            writer.row(row(1));
            String csv = new String(blobs.objects.getOrDefault("x", new byte[0]));
            assertEquals("", csv);
            List<ResultWriter.WrittenPart> parts = writer.finish();
            assertTrue(new String(blobs.objects.get(parts.getFirst().key())).startsWith("line,url,status"));
        }
    }
}
