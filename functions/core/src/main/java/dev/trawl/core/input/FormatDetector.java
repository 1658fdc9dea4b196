package dev.trawl.core.input;

import dev.trawl.core.job.InputFormat;

import java.util.Locale;

/** Tells a client's file's {@link InputFormat} from its name and its first line. */
public final class FormatDetector {
    private FormatDetector() {
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
            return InputFormat.NDJSON;
        }
        if (name.endsWith(".csv")) {
            return InputFormat.CSV;
        }
        if (name.endsWith(".txt")) {
            return InputFormat.TEXT;
        }
        String line = firstLine == null ? "" : firstLine.strip();
        if (line.startsWith("{")) {
            return InputFormat.NDJSON;
        }
        if (line.contains(",") || line.equalsIgnoreCase("url") || line.equalsIgnoreCase("\"url\"")) {
            for (String column : CsvRecords.parseHeader(line)) {
                if (column.strip().equalsIgnoreCase("url")) {
                    return InputFormat.CSV;
                }
            }
        }
        return InputFormat.TEXT;
    }
}
