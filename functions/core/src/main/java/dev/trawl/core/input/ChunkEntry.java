package dev.trawl.core.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

/**
 * One input line as a chunk file holds it: its line number and the entry as given (a URL string, or an object
 * with {@code url}, {@code meta} and per-URL overrides), or why the line is unusable ({@code invalid}, else null).
 */
public record ChunkEntry(long line, JsonNode entry, String invalid) {

    public ChunkEntry(long line, JsonNode entry) {
        this(line, entry, null);
    }

    public String url() {
        return entry.isTextual() ? entry.textValue() : entry.path("url").asText(null);
    }

    public JsonNode meta() {
        return entry.isObject() ? entry.get("meta") : null;
    }

    public String toLine() {
        ObjectNode node = Json.object();
        node.put("line", line);
        node.set("entry", entry);
        if (invalid != null) {
            node.put("invalid", invalid);
        }
        return Json.write(node);
    }

    public static ChunkEntry fromLine(String text) {
        JsonNode node = Json.read(text, JsonNode.class);
        return new ChunkEntry(node.get("line").asLong(), node.get("entry"), node.path("invalid").asText(null));
    }
}
