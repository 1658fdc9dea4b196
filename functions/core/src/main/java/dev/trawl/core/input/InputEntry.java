package dev.trawl.core.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

/**
 * One non-blank line of an input, numbered from 1: the entry it gives (a URL string, or an object with {@code url},
 * {@code meta} and per-URL overrides), or why it is unusable ({@code invalid}, else null), which still makes a row,
 * {@code invalid_url}. Chunk files hold one per line ({@link #toLine}), so a worker reads what the planner read.
 */
public record InputEntry(long line, JsonNode entry, String invalid) {

    public InputEntry(long line, JsonNode entry) {
        this(line, entry, null);
    }

    public String url() {
        return entry.isTextual() ? entry.textValue() : entry.path("url").asText(null);
    }

    public JsonNode meta() {
        return entry.isObject() ? entry.get("meta") : null;
    }

    /** The entry as a line of a chunk file. */
    public String toLine() {
        ObjectNode node = Json.object();
        node.put("line", line);
        node.set("entry", entry);
        if (invalid != null) {
            node.put("invalid", invalid);
        }
        return Json.write(node);
    }

    public static InputEntry fromLine(String text) {
        JsonNode node = Json.read(text, JsonNode.class);
        return new InputEntry(node.get("line").asLong(), node.get("entry"), node.path("invalid").asText(null));
    }
}
