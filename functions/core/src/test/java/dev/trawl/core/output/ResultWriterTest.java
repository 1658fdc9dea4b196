package dev.trawl.core.output;

import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.testing.InMemoryBlobStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultWriterTest {
    private static final String TENANT = "acme";
    private static final String JOB = "job_01JD3F2D1A77B0E1XYZ0000000";

    private static List<String> rows(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add("{\"line\":" + i + ",\"url\":\"https://a.example/" + i + "\",\"status\":\"ok\",\"http_status\":200,"
                    + "\"meta\":{\"n\":" + i + "},\"error\":null}");
        }
        return rows;
    }

    private static List<ResultWriter.WrittenPart> write(InMemoryBlobStore blobs, OutputSpec output, long split, List<String> rows)
            throws IOException {
        try (ResultWriter writer = new ResultWriter(blobs, TENANT, JOB, output, split, List.of())) {
            for (String row : rows) {
                writer.row(row);
            }
            return writer.finish();
        }
    }

    private static byte[] plain(byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] joined(InMemoryBlobStore blobs, List<ResultWriter.WrittenPart> parts, boolean gzip) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ResultWriter.WrittenPart part : parts) {
            byte[] stored = blobs.get(part.key()).content();
            assertEquals(part.bytes(), stored.length);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)), part.sha256());
            all.write(plain(stored, gzip));
        }
        return all.toByteArray();
    }

    @Test
    void aTinySplitSizeGivesPartsWhoseConcatenationIsTheUnsplitResult() throws Exception {
        for (OutputSpec output : List.of(new OutputSpec("ndjson", false), new OutputSpec("ndjson", true),
                new OutputSpec("csv", false), new OutputSpec("csv", true))) {
            InMemoryBlobStore blobs = new InMemoryBlobStore();
            List<ResultWriter.WrittenPart> whole = write(blobs, output, Long.MAX_VALUE, rows(50));
            assertEquals(1, whole.size());
            byte[] unsplit = joined(blobs, whole, output.gzip());

            InMemoryBlobStore splitBlobs = new InMemoryBlobStore();
            List<ResultWriter.WrittenPart> parts = write(splitBlobs, output, 200, rows(50));
            assertTrue(parts.size() > 5, output + ": " + parts.size() + " parts");
            assertArrayEquals(unsplit, joined(splitBlobs, parts, output.gzip()), output.toString());
            assertEquals(50, parts.stream().mapToLong(ResultWriter.WrittenPart::rows).sum());
            for (int i = 0; i < parts.size(); i++) {
                assertTrue(parts.get(i).key().endsWith(String.format("/result-%05d", i + 1) + output.extension()));
            }
        }
    }

    @Test
    void csvHasItsHeaderOnceAndOneRecordPerRow() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        List<ResultWriter.WrittenPart> parts = write(blobs, new OutputSpec("csv", false), Long.MAX_VALUE, rows(3));
        String[] lines = new String(joined(blobs, parts, false), StandardCharsets.UTF_8).split("\r\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("line,url,status,http_status"));
        assertEquals("2,https://a.example/2,ok,200,,,,,,,,,\"{\"\"n\"\":2}\"", lines[2]);
    }

    @Test
    void aResultWithoutRowsIsStillAFile() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        List<ResultWriter.WrittenPart> parts = write(blobs, new OutputSpec("csv", false), 100, List.of());
        assertEquals(1, parts.size());
        assertEquals(0, parts.getFirst().rows());
        assertTrue(new String(joined(blobs, parts, false), StandardCharsets.UTF_8).startsWith("line,url"));
    }
}
