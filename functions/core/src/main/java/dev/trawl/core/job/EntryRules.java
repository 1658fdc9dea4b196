package dev.trawl.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.JsonFields;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** What makes an input entry usable, the same for inline input and for every line of an uploaded file. */
public final class EntryRules {
    public static final int MAX_URL_LENGTH = 8 * 1024;
    public static final int MAX_META_BYTES = 2 * 1024;
    private static final Set<String> ENTRY_FIELDS = Set.of("url", "meta");

    private EntryRules() {
    }

    /**
     * Checks an entry: a URL string, or an object with a string {@code url}, an optional {@code meta} object of at
     * most 2 KiB and valid per-URL overrides. A string that is not a usable URL passes: it becomes an
     * {@code invalid_url} row, not an error.
     *
     * @throws InvalidInput naming {@code field} or the part of it at fault
     */
    public static void validate(JsonNode entry, String field) {
        if (entry.isTextual()) {
            JsonFields.text(entry, field, MAX_URL_LENGTH);
            return;
        }
        if (!entry.isObject() || !entry.has("url")) {
            throw new InvalidInput(field, field + " must be a URL string or an object with a 'url'.");
        }
        JsonFields.text(entry.get("url"), field + ".url", MAX_URL_LENGTH);
        if (entry.hasNonNull("meta")) {
            JsonNode meta = JsonFields.object(entry.get("meta"), field + ".meta");
            if (Json.write(meta).getBytes(StandardCharsets.UTF_8).length > MAX_META_BYTES) {
                throw new InvalidInput(field + ".meta", field + ".meta may be at most 2 KiB.");
            }
        }
        FetchOptionsParser.apply(FetchOptions.DEFAULTS, entry, field, ENTRY_FIELDS);
    }
}
