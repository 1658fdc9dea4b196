package dev.trawl.core.output;

import dev.trawl.core.extract.Extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Result rows as RFC 4180 CSV: the contract's scalar columns, one {@code data.<field>} column per extract field,
 * then {@code meta} as a JSON string. Fields holding a comma, a quote or a line break are quoted; lines end CRLF.
 */
public final class CsvRows {
    public static final List<String> SCALAR_COLUMNS = List.of("line", "url", "status", "http_status", "final_url",
            "content_type", "bytes", "elapsed_ms", "attempts", "fetched_at", "error_code", "error_message");
    private final Writer out;
    private final List<Extraction.Column> dataFields;

    public CsvRows(Writer out, List<Extraction.Column> dataFields) {
        this.out = out;
        this.dataFields = List.copyOf(dataFields);
    }

    public void writeHeader() throws IOException {
        List<String> header = new ArrayList<>(SCALAR_COLUMNS);
        dataFields.forEach(field -> header.add("data." + field.name()));
        header.add("meta");
        writeRecord(header);
    }

    /** One NDJSON result row as one CSV record. */
    public void write(JsonNode row) throws IOException {
        List<String> fields = new ArrayList<>(SCALAR_COLUMNS.size() + dataFields.size() + 1);
        for (String column : SCALAR_COLUMNS) {
            JsonNode value = switch (column) {
                case "error_code" -> row.path("error").path("code");
                case "error_message" -> row.path("error").path("message");
                default -> row.path(column);
            };
            fields.add(scalar(value));
        }
        for (Extraction.Column field : dataFields) {
            fields.add(scalar(row.path("data").path(field.name())));
        }
        JsonNode meta = row.path("meta");
        fields.add(meta.isMissingNode() || meta.isNull() ? "" : Json.write(meta));
        writeRecord(fields);
    }

    private static String scalar(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : Json.write(value);
    }

    private void writeRecord(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quoted(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String quoted(String field) {
        boolean needs = false;
        for (int i = 0; i < field.length() && !needs; i++) {
            char c = field.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
