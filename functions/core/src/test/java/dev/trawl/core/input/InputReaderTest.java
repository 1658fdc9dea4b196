package dev.trawl.core.input;

import dev.trawl.core.job.InputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputReaderTest {

    private static List<InputEntry> read(byte[] bytes, InputFormat format) throws IOException {
        List<InputEntry> entries = new ArrayList<>();
        try (InputReader reader = InputReader.open(new ByteArrayInputStream(bytes), format)) {
            InputEntry entry;
            while ((entry = reader.next()) != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static List<InputEntry> read(String text, InputFormat format) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), format);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void textLinesAreUrlsAndBlankLinesAreNeitherRowsNorNumbered() throws IOException {
        List<InputEntry> entries = read("https://a.example/1\r\n\n   \nnot a url\rhttps://a.example/3\n", InputFormat.TEXT);
        assertEquals(3, entries.size());
        assertEquals(List.of(1L, 2L, 3L), entries.stream().map(InputEntry::line).toList());
        assertEquals("https://a.example/1", entries.get(0).entry().textValue());
        assertEquals("not a url", entries.get(1).entry().textValue());
        assertNull(entries.get(1).invalid(), "an unusable URL is still a line: its row says invalid_url");
        assertEquals("https://a.example/3", entries.get(2).entry().textValue());
    }

    @Test
    void gzipIsRecognisedByItsMagicBytes() throws IOException {
        String text = "https://a.example/1\nhttps://a.example/2\n";
        assertEquals(read(text, InputFormat.TEXT), read(gzip(text), InputFormat.TEXT));
    }

    @Test
    void ndjsonLinesKeepOverridesAndMetaAndReportBadLines() throws IOException {
        List<InputEntry> entries = read("""
                {"url": "https://a.example/1", "meta": {"sku": "A"}, "timeout_ms": 5000}
                {"url": 42}
                not json
                {"url": "https://a.example/4", "render": true}
                {"url": "https://a.example/5", "retries": 9}
                """, InputFormat.NDJSON);
        assertEquals(5, entries.size());
        assertNull(entries.get(0).invalid());
        assertEquals("A", entries.get(0).entry().get("meta").get("sku").asText());
        assertEquals(5000, entries.get(0).entry().get("timeout_ms").asInt());
        for (int i = 1; i < 5; i++) {
            assertTrue(entries.get(i).invalid() != null, "line " + (i + 1));
        }
        assertEquals("https://a.example/4", entries.get(3).entry().textValue(), "the row still shows the URL");
    }

    @Test
    void csvHasAUrlColumnAndTheOtherColumnsBecomeMeta() throws IOException {
        List<InputEntry> entries = read("""
                sku,URL,note
                A-1,https://a.example/1,"plain"
                B-2,"https://a.example/2","with, comma and ""quotes""\"
                C-3,https://a.example/3,"two
                lines"

                D-4,,missing url
                """, InputFormat.CSV);
        assertEquals(4, entries.size());
        assertEquals("https://a.example/1", entries.get(0).entry().get("url").asText());
        assertEquals("A-1", entries.get(0).entry().get("meta").get("sku").asText());
        assertEquals("with, comma and \"quotes\"", entries.get(1).entry().get("meta").get("note").asText());
        assertEquals("two\nlines", entries.get(2).entry().get("meta").get("note").asText());
        assertEquals(List.of(1L, 2L, 3L, 4L), entries.stream().map(InputEntry::line).toList());
        assertTrue(entries.get(3).invalid() != null);
    }

    @Test
    void aCsvWithoutUrlColumnSaysSo() throws IOException {
        try (InputReader reader = InputReader.open(new ByteArrayInputStream("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)),
                InputFormat.CSV)) {
            assertFalse(reader.hasUrlColumn());
        }
    }

    @Test
    void anOverLongLineIsOneUnusableLineReadPastNotHeld() throws IOException {
        String huge = "https://a.example/" + "x".repeat(InputReader.MAX_LINE_CHARS * 4);
        List<InputEntry> entries = read("https://a.example/1\n" + huge + "\nhttps://a.example/3\n", InputFormat.TEXT);
        assertEquals(3, entries.size());
        assertTrue(entries.get(1).invalid().contains("longer"));
        assertTrue(entries.get(1).entry().textValue().length() <= 512);
        assertEquals("https://a.example/3", entries.get(2).entry().textValue());
        String longUrl = "https://a.example/" + "y".repeat(9_000);
        assertTrue(read(longUrl + "\n", InputFormat.TEXT).getFirst().invalid().contains("8192"));
    }

    @Test
    void theServicesOwnEntriesAreJsonStringsOrObjects() throws IOException {
        List<InputEntry> entries = read("\"https://a.example/1\"\n{\"url\":\"https://a.example/2\",\"meta\":{\"n\":2}}\n",
                InputFormat.ENTRIES);
        assertEquals("https://a.example/1", entries.get(0).entry().textValue());
        assertEquals(2, entries.get(1).entry().get("meta").get("n").asInt());
        assertTrue(read("\"https://a.example/1\"\n", InputFormat.NDJSON).getFirst().invalid() != null,
                "a bare string is not an NDJSON upload line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "urls.ndjson | https://a | NDJSON", "urls.jsonl.gz | x | NDJSON", "urls.csv | x | CSV", "list.txt | {\"url\":1} | TEXT",
            "upload | {\"url\": \"https://a\"} | NDJSON", "upload | sku,url | CSV", "upload | \"url\",\"sku\" | CSV",
            "upload | https://a.example/?a=1,2 | TEXT", "upload | https://a.example/ | TEXT"})
    void formatsAreDetectedByNameThenContent(String filename, String firstLine, InputFormat expected) {
        assertEquals(expected, FormatDetector.detect(filename, firstLine));
    }

    @Test
    void aByteOrderMarkAsSpreadsheetsWriteItIsSkipped() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] csv = "url,sku\nhttps://a.example/1,A\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + csv.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(csv, 0, withBom, 3, csv.length);
        List<InputEntry> entries = read(withBom, InputFormat.CSV);
        assertEquals(1, entries.size());
        assertNull(entries.getFirst().invalid());
        assertEquals("https://a.example/1", entries.getFirst().entry().get("url").asText());
        assertEquals("https://a.example/1", read(gzip("\uFEFFhttps://a.example/1\n"), InputFormat.TEXT).getFirst().entry().textValue());
    }

    @Test
    void aRowOfCommasOrBlanksLongerThanTheLimitIsOneUnusableRowHeldNowhere() throws IOException {
        String commas = ",".repeat(InputReader.MAX_LINE_CHARS * 40);
        List<InputEntry> csv = read("url,sku\n" + commas + "\nhttps://a.example/2,B\n", InputFormat.CSV);
        assertEquals(2, csv.size());
        assertTrue(csv.get(0).invalid().contains("longer"));
        assertEquals("https://a.example/2", csv.get(1).entry().get("url").asText());
        List<InputEntry> text = read(" ".repeat(InputReader.MAX_LINE_CHARS + 10) + "x\nhttps://a.example/2\n", InputFormat.TEXT);
        assertEquals(2, text.size(), "an over-long line is a row even when it starts blank");
        assertTrue(text.get(0).invalid().contains("longer"));
    }

    @Test
    void aTruncatedGzipStreamIsAnErrorNotSilence() throws IOException {
        byte[] full = gzip("https://a.example/1\n".repeat(1000));
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
        try (InputReader reader = InputReader.open(new ByteArrayInputStream(cut), InputFormat.TEXT)) {
            boolean failed = false;
            try {
                while (reader.next() != null) {
                    // read on
                }
            } catch (IOException e) {
                failed = true;
            }
            assertTrue(failed);
        }
        InputStream empty = InputReader.decompressed(new ByteArrayInputStream(new byte[0]));
        assertEquals(-1, empty.read());
    }
}
