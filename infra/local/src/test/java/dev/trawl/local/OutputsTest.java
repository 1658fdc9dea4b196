package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Result formats and split results, on a local stack of its own whose split size is tiny, so that a job of a
 * hundred rows comes out as several parts.
 */
class OutputsTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static OwnStack stack;
    private static LocalRuntime runtime;
    private static TestSite site;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        stack = OwnStack.start("outputs", Map.of("ResultSplitBytes", "2000", "ChunkSize", "25"));
        runtime = stack.runtime;
        site = stack.site;
        api = stack.api;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode run(String format, boolean gzip) throws Exception {
        return run(format, gzip, null);
    }

    /** @param extract the job's {@code defaults.extract}, or null */
    private static JsonNode run(String format, boolean gzip, String extract) throws Exception {
        ObjectNode body = Json.object();
        if (extract != null) {
            body.putObject("defaults").set("extract", Json.parse(extract));
        }
        var urls = body.putObject("input").putArray("urls");
        for (int i = 1; i <= 100; i++) {
            ObjectNode entry = urls.addObject();
            entry.put("url", site.url(i % 9 == 0 ? "/missing/out-" + i : "/page/out-" + i));
            entry.putObject("meta").put("sku", "S-" + i).put("note", "comma, \"quoted\"");
        }
        body.putObject("output").put("format", format).put("gzip", gzip);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        return job;
    }

    /** Every part, fetched through its signed link, checked against its sha256 and byte count, joined in order. */
    private static String joinedParts(JsonNode job, boolean gzip) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long rows = 0;
        for (JsonNode part : job.get("result_parts")) {
            byte[] bytes = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText())).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(part.get("bytes").asLong(), bytes.length);
            assertEquals(part.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            all.write(gzip ? new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes() : bytes);
            rows += part.get("rows").asLong();
        }
        assertEquals(100, rows);
        assertEquals(job.get("download_url"), job.get("result_parts").get(0).get("url"));
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anNdjsonResultOverTheSplitSizeComesAsOrderedPartsThatJoinIntoEveryRow() throws Exception {
        for (boolean gzip : List.of(false, true)) {
            JsonNode job = run("ndjson", gzip);
            // About 30 KB of rows: many parts plain, a few once gzip has shrunk them.
            assertTrue(job.get("result_parts").size() > (gzip ? 1 : 10), gzip + ": parts " + job.get("result_parts").size());
            String[] lines = joinedParts(job, gzip).split("\n");
            assertEquals(100, lines.length);
            for (int i = 0; i < 100; i++) {
                JsonNode row = Json.read(lines[i], JsonNode.class);
                assertEquals(i + 1, row.get("line").asInt());
                assertEquals("S-" + (i + 1), row.get("meta").get("sku").asText());
            }
        }
    }

    @Test
    void aCsvResultHasTheContractsColumnsOnceAndParsesBackToEveryRow() throws Exception {
        JsonNode job = run("csv", true);
        String csv = joinedParts(job, true);
        assertTrue(csv.startsWith("line,url,status,http_status,final_url,content_type,bytes,elapsed_ms,attempts,"
                + "fetched_at,error_code,error_message,meta\r\n"), csv.substring(0, 200));
        assertEquals(1, csv.split("line,url,status", -1).length - 1, "one header, in the first part only");
        List<List<String>> records = Csv.parse(csv);
        assertEquals(101, records.size());
        for (int i = 1; i <= 100; i++) {
            List<String> record = records.get(i);
            assertEquals(String.valueOf(i), record.get(0));
            assertEquals(i % 9 == 0 ? "error" : "ok", record.get(2));
            assertEquals(i % 9 == 0 ? "http_error" : "", record.get(10));
            JsonNode meta = Json.read(record.get(12), JsonNode.class);
            assertEquals("comma, \"quoted\"", meta.get("note").asText());
        }
    }

    @Test
    void aCsvResultOfAJobThatExtractsHasOneColumnPerFieldBeforeMeta() throws Exception {
        JsonNode job = run("csv", false, "{\"title\": {\"css\": \"title\"}, "
                + "\"n\": {\"regex\": \"Page out-(\\\\d+)\", \"type\": \"integer\"}}");
        List<List<String>> records = Csv.parse(joinedParts(job, false));
        assertEquals(List.of("line", "url", "status", "http_status", "final_url", "content_type", "bytes", "elapsed_ms",
                "attempts", "fetched_at", "error_code", "error_message", "data.title", "data.n", "meta"), records.getFirst());
        for (int i = 1; i <= 100; i++) {
            List<String> record = records.get(i);
            boolean page = i % 9 != 0;
            assertEquals(page ? "Page out-" + i : "", record.get(12), "line " + i);
            assertEquals(page ? String.valueOf(i) : "", record.get(13), "line " + i);
        }
    }

    @Test
    void aParquetResultReadsBackInDuckDbWithTypedColumns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        JsonNode job = run("parquet", false);
        long row = 0;
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement sql = duck.createStatement()) {
            for (JsonNode part : job.get("result_parts")) {
                byte[] bytes = HTTP.send(HttpRequest.newBuilder(URI.create(part.get("url").asText())).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                assertEquals(part.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                java.nio.file.Path file = dir.resolve("part-" + row + ".parquet");
                java.nio.file.Files.write(file, bytes);
                try (java.sql.ResultSet rows = sql.executeQuery("SELECT line, status, http_status, typeof(line), "
                        + "json_extract_string(meta, '$.sku') FROM read_parquet('" + file + "') ORDER BY line")) {
                    while (rows.next()) {
                        row++;
                        assertEquals(row, rows.getLong(1));
                        assertEquals(row % 9 == 0 ? "error" : "ok", rows.getString(2));
                        assertEquals(row % 9 == 0 ? 404 : 200, rows.getLong(3));
                        assertEquals("BIGINT", rows.getString(4));
                        assertEquals("S-" + row, rows.getString(5));
                    }
                }
            }
        }
        assertEquals(100, row);
        assertEquals(400, api.post("/v1/jobs", "{\"input\":{\"urls\":[\"https://a.example/\"]},"
                + "\"output\":{\"format\":\"parquet\",\"gzip\":true}}").status());
    }

    @Test
    void aManifestBesideThePartsSaysTheSame() throws Exception {
        JsonNode job = run("ndjson", false);
        String jobId = job.get("id").asText();
        byte[] manifest = runtime.clients().s3().getObjectAsBytes(b -> b.bucket(runtime.resource("Bucket"))
                .key("results/outputs/" + jobId + "/manifest.json")).asByteArray();
        JsonNode parsed = Json.read(new String(manifest, StandardCharsets.UTF_8), JsonNode.class);
        assertEquals(100, parsed.get("rows").asInt());
        assertEquals(job.get("result_parts").size(), parsed.get("parts").size());
        for (int i = 0; i < parsed.get("parts").size(); i++) {
            assertEquals(job.get("result_parts").get(i).get("sha256"), parsed.get("parts").get(i).get("sha256"));
            assertEquals(String.format("result-%05d.ndjson", i + 1), parsed.get("parts").get(i).get("file").asText());
        }
    }

    /** An independent RFC 4180 reader, for the test only. */
    private static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> records = new java.util.ArrayList<>();
            List<String> record = new java.util.ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    record.add(field.toString());
                    field.setLength(0);
                    records.add(record);
                    record = new java.util.ArrayList<>();
                    i++;
                } else {
                    field.append(c);
                }
            }
            return records;
        }
    }
}
