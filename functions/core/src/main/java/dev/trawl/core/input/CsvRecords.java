package dev.trawl.core.input;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records: fields split by commas, double-quoted fields that may hold commas, quotes ({@code ""}) and
 * line breaks. A record longer than {@code maxChars} is read past and reported as cut.
 */
final class CsvRecords {
    record Record(List<String> fields, boolean cut, boolean blank) {
    }

    private final PushbackReader reader;
    private final int maxChars;

    CsvRecords(Reader reader, int maxChars) {
        this.reader = new PushbackReader(reader, 1);
        this.maxChars = maxChars;
    }

    /** The fields of one header line. */
    static List<String> parseHeader(String line) {
        try {
            Record record = new CsvRecords(new java.io.StringReader(line), Integer.MAX_VALUE).next();
            return record == null ? List.of() : record.fields();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next record, or null at the end of the stream. */
    Record next() throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int size = 0;
        boolean cut = false;
        boolean quoted = false;
        boolean any = false;
        while (true) {
            int c = reader.read();
            if (c == -1) {
                if (!any) {
                    return null;
                }
                fields.add(field.toString());
                return record(fields, cut);
            }
            any = true;
            if (quoted) {
                if (c == '"') {
                    int after = reader.read();
                    if (after == '"') {
                        size = append(field, '"', size);
                    } else {
                        quoted = false;
                        if (after != -1) {
                            reader.unread(after);
                        }
                    }
                } else {
                    size = append(field, (char) c, size);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                size++;
                if (!cut) {
                    fields.add(field.toString());
                }
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int after = reader.read();
                    if (after != '\n' && after != -1) {
                        reader.unread(after);
                    }
                }
                fields.add(field.toString());
                return record(fields, cut);
            } else {
                size = append(field, (char) c, size);
            }
            if (size > maxChars) {
                // Read past the rest of the record, holding nothing of it.
                cut = true;
                fields.clear();
                field.setLength(0);
                size = 0;
            }
        }
    }

    private static Record record(List<String> fields, boolean cut) {
        boolean blank = !cut && fields.size() == 1 && fields.getFirst().isBlank();
        return new Record(List.copyOf(fields), cut, blank);
    }

    private static int append(StringBuilder field, char c, int size) {
        field.append(c);
        return size + 1;
    }
}
