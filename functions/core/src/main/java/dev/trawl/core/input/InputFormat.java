package dev.trawl.core.input;

import java.util.Locale;

/**
 * The forms an input file may take. {@code ENTRIES} is the service's own: one JSON entry (a URL string or an
 * object) per line, as the API stores inline input.
 */
public enum InputFormat {
    TEXT, NDJSON, CSV, ENTRIES;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputFormat fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * The format of a client's file: by its name's extension when it has a telling one, else by its first
     * non-blank line ({@code {…} } is NDJSON, a comma-separated header with a {@code url} column is CSV).
     */
    public static InputFormat detect(String filename, String firstLine) {
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return NDJSON;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".txt")) {
            return TEXT;
        }
        String line = firstLine == null ? "" : firstLine.strip();
        if (line.startsWith("{")) {
            return NDJSON;
        }
        if (line.contains(",") || line.equalsIgnoreCase("url") || line.equalsIgnoreCase("\"url\"")) {
            for (String column : CsvRecords.parseHeader(line)) {
                if (column.strip().equalsIgnoreCase("url")) {
                    return CSV;
                }
            }
        }
        return TEXT;
    }
}
