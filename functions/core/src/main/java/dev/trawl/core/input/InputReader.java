package dev.trawl.core.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.job.EntryRules;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.util.Json;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Streams the entries of an input file of any {@link InputFormat}, gzip-compressed or not, holding one line at a
 * time. Blank lines are skipped and not numbered; every other line is one {@link InputEntry}, usable or not.
 */
public final class InputReader implements Closeable {
    /** Longest line kept; a longer one is an unusable line, read past without being held. */
    public static final int MAX_LINE_CHARS = 64 * 1024;

    private final InputFormat format;
    private final Reader reader;
    private final BoundedLines lines;
    private final CsvRecords records;
    private final List<String> header;
    private final int urlColumn;
    private long line;

    private InputReader(InputFormat format, Reader reader) throws IOException {
        this.format = format;
        this.reader = reader;
        if (format == InputFormat.CSV) {
            this.lines = null;
            this.records = new CsvRecords(reader, MAX_LINE_CHARS);
            CsvRecords.Record first = records.next();
            while (first != null && first.blank()) {
                first = records.next();
            }
            this.header = first == null ? List.of() : first.fields().stream().map(String::strip).toList();
            this.urlColumn = indexOfUrl(header);
        } else {
            this.lines = new BoundedLines(reader, MAX_LINE_CHARS);
            this.records = null;
            this.header = List.of();
            this.urlColumn = -1;
        }
    }

    /** Opens {@code raw}, unzipping it when it starts with the gzip magic bytes. */
    public static InputReader open(InputStream raw, InputFormat format) throws IOException {
        return new InputReader(format, new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8));
    }

    /** The most a compressed input may expand to: a gzip bomb is cut off here rather than read for hours. */
    public static final long MAX_DECOMPRESSED_BYTES = 16L * 1024 * 1024 * 1024;

    /** {@code raw}, unzipped when it is gzip, without a leading UTF-8 byte-order mark (as spreadsheets write). */
    public static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        InputStream text = first == 0x1f && second == 0x8b
                ? new BufferedInputStream(new Capped(new GZIPInputStream(in, 64 * 1024), MAX_DECOMPRESSED_BYTES), 64 * 1024)
                : in;
        text.mark(3);
        if (!(text.read() == 0xEF && text.read() == 0xBB && text.read() == 0xBF)) {
            text.reset();
        }
        return text;
    }

    /** Fails the read once more than {@code max} bytes came through. */
    private static final class Capped extends java.io.FilterInputStream {
        private final long max;
        private long read;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) {
                throw new UnreadableInput("the input expands past " + max + " bytes when decompressed");
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (read += n) > max) {
                throw new UnreadableInput("the input expands past " + max + " bytes when decompressed");
            }
            return n;
        }
    }

    /** Whether a CSV input has a {@code url} column; always true for other formats. */
    public boolean hasUrlColumn() {
        return format != InputFormat.CSV || urlColumn >= 0;
    }

    /** The next entry, or null at the end. */
    public InputEntry next() throws IOException {
        if (format == InputFormat.CSV) {
            return nextCsv();
        }
        BoundedLines.Line next;
        do {
            next = lines.next();
            if (next == null) {
                return null;
            }
        } while (!next.cut() && next.text().isBlank());
        line++;
        String text = next.text().strip();
        if (next.cut()) {
            return new InputEntry(line, TextNode.valueOf(preview(text)), "the line is longer than " + MAX_LINE_CHARS + " characters");
        }
        return switch (format) {
            case TEXT -> textEntry(text);
            case NDJSON -> ndjsonEntry(text, false);
            case ENTRIES -> ndjsonEntry(text, true);
            case CSV -> throw new IllegalStateException();
        };
    }

    private InputEntry textEntry(String text) {
        if (text.length() > EntryRules.MAX_URL_LENGTH) {
            return new InputEntry(line, TextNode.valueOf(preview(text)), "the URL is longer than " + EntryRules.MAX_URL_LENGTH + " characters");
        }
        return new InputEntry(line, TextNode.valueOf(text), null);
    }

    private InputEntry ndjsonEntry(String text, boolean stringsAllowed) {
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (IOException | RuntimeException e) {
            return new InputEntry(line, TextNode.valueOf(preview(text)), "the line is not JSON");
        }
        if (node.isTextual() && stringsAllowed) {
            return textEntry(node.textValue());
        }
        if (!node.isObject() || !node.path("url").isTextual()) {
            return new InputEntry(line, TextNode.valueOf(preview(text)), "the line is not a JSON object with a \"url\"");
        }
        try {
            EntryRules.validate(node, "line " + line);
        } catch (InvalidInput e) {
            return new InputEntry(line, TextNode.valueOf(node.get("url").textValue()), e.getMessage());
        }
        return new InputEntry(line, node, null);
    }

    private InputEntry nextCsv() throws IOException {
        CsvRecords.Record record;
        do {
            record = records.next();
            if (record == null) {
                return null;
            }
        } while (record.blank());
        line++;
        if (record.cut()) {
            return new InputEntry(line, TextNode.valueOf(""), "the row is longer than " + MAX_LINE_CHARS + " characters");
        }
        List<String> fields = record.fields();
        String url = urlColumn >= 0 && urlColumn < fields.size() ? fields.get(urlColumn).strip() : "";
        ObjectNode entry = Json.object();
        entry.put("url", url);
        ObjectNode meta = Json.object();
        for (int i = 0; i < header.size() && i < fields.size(); i++) {
            if (i != urlColumn) {
                meta.put(header.get(i), fields.get(i));
            }
        }
        if (!meta.isEmpty()) {
            entry.set("meta", meta);
        }
        if (urlColumn < 0 || url.isEmpty()) {
            return new InputEntry(line, TextNode.valueOf(url), "the row has no url");
        }
        try {
            EntryRules.validate(entry, "row " + line);
        } catch (InvalidInput e) {
            return new InputEntry(line, TextNode.valueOf(url), e.getMessage());
        }
        return new InputEntry(line, entry, null);
    }

    private static int indexOfUrl(List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals("url")) {
                return i;
            }
        }
        return -1;
    }

    /** Enough of an unusable line to recognise it in the result, never the whole of a huge one. */
    private static String preview(String text) {
        return text.length() <= 512 ? text : text.substring(0, 512);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
