package dev.trawl.finalizer;

import dev.trawl.core.extract.Extraction;
import dev.trawl.core.extract.ValueType;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.output.CsvRows;
import dev.trawl.core.output.RowEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code data.<field>} columns of a Parquet result, read back by DuckDB. */
class ParquetDataColumnsTest {
    private static final List<Extraction.Column> FIELDS = List.of(
            new Extraction.Column("title", ValueType.STRING, false),
            new Extraction.Column("price", ValueType.NUMBER, false),
            new Extraction.Column("stock", ValueType.INTEGER, false),
            new Extraction.Column("in_stock", ValueType.BOOLEAN, false),
            new Extraction.Column("images", ValueType.STRING, true));

    private static String row(int line, String status, String data) {
        return "{\"line\":" + line + ",\"url\":\"https://a.example/" + line + "\",\"status\":\"" + status + "\","
                + "\"http_status\":200,\"final_url\":null,\"content_type\":\"text/html\",\"bytes\":10,\"elapsed_ms\":5,"
                + "\"attempts\":1,\"fetched_at\":\"2026-11-24T02:00:00.000Z\""
                + (data == null ? "" : ",\"data\":" + data)
                + ",\"meta\":{\"k\":" + line + "},\"error\":null}";
    }

    private static final List<String> ROWS = List.of(
            row(1, "ok", "{\"title\":\"Kettle, steel\",\"price\":24.5,\"stock\":3,\"in_stock\":true,"
                    + "\"images\":[\"a.jpg\",\"b \\\"c\\\".jpg\"]}"),
            // a whole number in a number column; a field null; a field missing
            row(2, "ok", "{\"title\":\"Mug\",\"price\":10,\"stock\":null,\"in_stock\":false}"),
            row(3, "error", "null"),
            row(4, "skipped", null),
            // values that do not fit their column, which the extractor never writes
            row(5, "ok", "{\"title\":5,\"price\":\"cheap\",\"stock\":2.5,\"in_stock\":\"yes\",\"images\":\"a.jpg\"}"),
            // a whole float in an integer column fits; a list with a null and mixed items is kept as written
            row(6, "ok", "{\"title\":\"\",\"price\":1.25,\"stock\":3.0,\"in_stock\":false,\"images\":[1,null,\"x\"]}"),
            // beyond a double's and a long's range; structures where scalars belong
            row(7, "ok", "{\"title\":{\"a\":1},\"price\":1e400,\"stock\":99999999999999999999,\"in_stock\":[true],"
                    + "\"images\":[]}"),
            row(8, "ok", "[1,2]"));

    private static Path write(Path dir, List<Extraction.Column> fields) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowEncoder encoder = new ParquetEncoders().open(new OutputSpec("parquet", false), out, fields, true);
        for (String row : ROWS) {
            encoder.write(row);
        }
        encoder.finish();
        Path parquet = dir.resolve("result.parquet");
        Files.write(parquet, out.toByteArray());
        return parquet;
    }

    @Test
    void dataColumnsSitBetweenTheScalarsAndMetaTypedByTheirFields(@TempDir Path dir) throws Exception {
        Path parquet = write(dir, FIELDS);
        List<String> expected = new ArrayList<>();
        for (String column : CsvRows.SCALAR_COLUMNS) {
            expected.add(column + " " + (List.of("line", "http_status", "bytes", "elapsed_ms", "attempts").contains(column)
                    ? "BIGINT" : "VARCHAR"));
        }
        expected.addAll(List.of("data.title VARCHAR", "data.price DOUBLE", "data.stock BIGINT",
                "data.in_stock BOOLEAN", "data.images VARCHAR", "meta VARCHAR"));
        List<String> described = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet columns = sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) {
            while (columns.next()) {
                described.add(columns.getString("column_name") + " " + columns.getString("column_type"));
            }
        }
        assertEquals(expected, described);
    }

    @Test
    void valuesReadBackAndAbsentOrUnfitValuesAreNull(@TempDir Path dir) throws Exception {
        Path parquet = write(dir, FIELDS);
        List<List<Object>> expected = List.of(
                Arrays.asList(1L, "Kettle, steel", 24.5, 3L, true, "[\"a.jpg\",\"b \\\"c\\\".jpg\"]", "{\"k\":1}"),
                Arrays.asList(2L, "Mug", 10.0, null, false, null, "{\"k\":2}"),
                Arrays.asList(3L, null, null, null, null, null, "{\"k\":3}"),
                Arrays.asList(4L, null, null, null, null, null, "{\"k\":4}"),
                Arrays.asList(5L, null, null, null, null, null, "{\"k\":5}"),
                Arrays.asList(6L, "", 1.25, 3L, false, "[1,null,\"x\"]", "{\"k\":6}"),
                Arrays.asList(7L, null, null, null, null, "[]", "{\"k\":7}"),
                Arrays.asList(8L, null, null, null, null, null, "{\"k\":8}"));
        List<List<Object>> read = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rows = sql.executeQuery("SELECT line, \"data.title\", \"data.price\", \"data.stock\", "
                     + "\"data.in_stock\", \"data.images\", meta FROM read_parquet('" + parquet + "') ORDER BY line")) {
            while (rows.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    values.add(rows.getObject(i));
                }
                read.add(values);
            }
        }
        assertEquals(expected, read);
    }

    @Test
    void numericDataColumnsAggregateAsNumbers(@TempDir Path dir) throws Exception {
        Path parquet = write(dir, FIELDS);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet sums = sql.executeQuery("SELECT SUM(\"data.price\"), typeof(SUM(\"data.price\")), "
                     + "SUM(\"data.stock\"), count(\"data.price\"), count(*) FILTER (WHERE \"data.in_stock\") "
                     + "FROM read_parquet('" + parquet + "')")) {
            assertTrue(sums.next());
            assertEquals(35.75, sums.getDouble(1));
            assertEquals("DOUBLE", sums.getString(2));
            assertEquals(6, sums.getLong(3));
            assertEquals(3, sums.getLong(4));
            assertEquals(1, sums.getLong(5));
            assertFalse(sums.next());
        }
    }

    @Test
    void withoutExtractFieldsRowsDataIsNotWritten(@TempDir Path dir) throws Exception {
        Path parquet = write(dir, List.of());
        List<String> names = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet columns = sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) {
            while (columns.next()) {
                names.add(columns.getString("column_name"));
            }
        }
        List<String> expected = new ArrayList<>(CsvRows.SCALAR_COLUMNS);
        expected.add("meta");
        assertEquals(expected, names);
    }
}
