package dev.trawl.core.extract;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.BoundedRegex;
import org.jsoup.select.QueryParser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/** Validates a client's {@code extract}, failing with a 400 that names the field, in the style of the API's parsers. */
final class SpecParser {
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_EXPRESSION_LENGTH = 1_000;
    static final int MAX_ATTR_LENGTH = 256;

    private static final List<String> FORMS = List.of("css", "json", "regex");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "css", Set.of("css", "attr", "all", "type"),
            "json", Set.of("json", "all", "type"),
            "regex", Set.of("regex", "group", "all", "type"));
    private static final Map<String, String> KEYS_IN_WORDS = Map.of(
            "css", "css, attr, all and type",
            "json", "json, all and type",
            "regex", "regex, group, all and type");
    private static final String TYPE_WORDS = "\"string\", \"number\", \"integer\" or \"boolean\"";

    private SpecParser() {
    }

    static Extraction parse(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput(path, path + " must be a JSON object mapping field names to specs.");
        }
        if (node.size() > Extraction.MAX_FIELDS) {
            throw new InvalidInput(path, path + " may hold at most " + Extraction.MAX_FIELDS + " fields.");
        }
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            String name = entry.getKey();
            String field = join(path, name);
            if (!isFieldName(name)) {
                throw new InvalidInput(field, "'" + name + "' is not a valid field name in " + path
                        + ": use 1 to " + MAX_NAME_LENGTH + " letters, digits or underscores.");
            }
            fields.put(name, spec(entry.getValue(), field));
        });
        return new Extraction(fields);
    }

    /** A stored spec, written by {@link Extraction#toJson()} from one that passed {@link #parse}. */
    static FieldSpec trusted(JsonNode spec) {
        if (spec.isTextual()) {
            return new FieldSpec.Named(ValueType.fromWire(spec.textValue()).orElseThrow());
        }
        boolean all = spec.path("all").asBoolean(false);
        ValueType type = ValueType.fromWire(spec.path("type").asText("string")).orElseThrow();
        if (spec.has("css")) {
            JsonNode attr = spec.get("attr");
            String attribute = attr == null || attr.isNull() ? null : attr.textValue();
            return new FieldSpec.Css(spec.get("css").textValue(), attribute, all, type);
        }
        if (spec.has("json")) {
            return new FieldSpec.Pointer(spec.get("json").textValue(), all, type);
        }
        BoundedRegex regex = new BoundedRegex(spec.get("regex").textValue(), FieldSpec.Regex.BUDGET_MILLIS);
        JsonNode group = spec.get("group");
        int groupNumber = group == null || group.isNull() ? FieldSpec.Regex.defaultGroup(regex) : group.intValue();
        return new FieldSpec.Regex(spec.get("regex").textValue(), groupNumber, all, type, regex);
    }

    private static FieldSpec spec(JsonNode spec, String field) {
        if (spec.isTextual()) {
            return new FieldSpec.Named(ValueType.fromWire(spec.textValue()).orElseThrow(() -> notASpec(field)));
        }
        if (!spec.isObject()) {
            throw notASpec(field);
        }
        List<String> forms = FORMS.stream().filter(spec::has).toList();
        if (forms.size() != 1) {
            throw new InvalidInput(field, field + " must hold exactly one of css, json or regex.");
        }
        String form = forms.getFirst();
        onlyKnown(spec, field, form);
        boolean all = optional(spec, "all") == null ? false : bool(spec.get("all"), join(field, "all"));
        ValueType type = optional(spec, "type") == null ? ValueType.STRING
                : type(spec.get("type"), join(field, "type"));
        return switch (form) {
            case "css" -> css(spec, field, all, type);
            case "json" -> pointer(spec, field, all, type);
            default -> regex(spec, field, all, type);
        };
    }

    private static FieldSpec css(JsonNode spec, String field, boolean all, ValueType type) {
        String selectorField = join(field, "css");
        String selector = expression(spec.get("css"), selectorField);
        if (usesRegex(selector)) {
            throw new InvalidInput(selectorField, selectorField + " may not use :matches… or [attr~=regex], which"
                    + " run unbounded regular expressions; use a regex spec on the body instead.");
        }
        String attr = null;
        if (optional(spec, "attr") != null) {
            String attrField = join(field, "attr");
            attr = text(spec.get("attr"), attrField, MAX_ATTR_LENGTH);
            if (attr.isBlank()) {
                throw new InvalidInput(attrField, attrField + " must name an attribute, or be left out for the text.");
            }
        }
        try {
            return new FieldSpec.Css(selector, attr, all, type, QueryParser.parse(selector));
        } catch (RuntimeException e) {
            // SelectorParseException mostly; any other refusal from the parser is as much the client's selector.
            throw new InvalidInput(selectorField, selectorField + " is not a valid CSS selector: " + e.getMessage());
        }
    }

    private static FieldSpec pointer(JsonNode spec, String field, boolean all, ValueType type) {
        String pointerField = join(field, "json");
        String pointer = text(spec.get("json"), pointerField, MAX_EXPRESSION_LENGTH);
        try {
            return new FieldSpec.Pointer(JsonPointer.compile(pointer), all, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(pointerField, pointerField
                    + " must be a JSON pointer (RFC 6901) such as \"/items/0/price\", or \"\" for the whole body.");
        }
    }

    private static FieldSpec regex(JsonNode spec, String field, boolean all, ValueType type) {
        String patternField = join(field, "regex");
        String pattern = expression(spec.get("regex"), patternField);
        BoundedRegex regex;
        try {
            regex = new BoundedRegex(pattern, FieldSpec.Regex.BUDGET_MILLIS);
        } catch (PatternSyntaxException e) {
            throw new InvalidInput(patternField, patternField + " is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex() + ".");
        } catch (StackOverflowError e) {
            throw new InvalidInput(patternField, patternField + " is nested too deeply.");
        }
        int group = FieldSpec.Regex.defaultGroup(regex);
        if (optional(spec, "group") != null) {
            group = group(spec.get("group"), join(field, "group"), regex.groupCount());
        }
        return new FieldSpec.Regex(pattern, group, all, type, regex);
    }

    /** A selector or pattern: a non-empty string of bounded length. */
    private static String expression(JsonNode node, String field) {
        String value = text(node, field, MAX_EXPRESSION_LENGTH);
        if (value.isBlank()) {
            throw new InvalidInput(field, field + " must not be empty.");
        }
        return value;
    }

    /**
     * Whether a selector uses jsoup's regular-expression matchers, which no time budget can bound. Quoted text is
     * skipped; anywhere else the words are refused even where they would be harmless, e.g. inside {@code :contains()}.
     */
    static boolean usesRegex(String selector) {
        String lower = selector.toLowerCase(Locale.ROOT);
        char quote = 0;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (lower.startsWith(":matches", i) || lower.startsWith("~=", i)) {
                return true;
            }
        }
        return false;
    }

    private static int group(JsonNode node, String field, int groupCount) {
        String range = field + " must be a whole number from 0 to " + groupCount + ": the pattern has " + groupCount
                + (groupCount == 1 ? " group." : " groups.");
        boolean inRange = node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0
                && node.intValue() <= groupCount;
        if (!inRange) {
            throw new InvalidInput(field, range);
        }
        return node.intValue();
    }

    private static ValueType type(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new InvalidInput(field, field + " must be one of " + TYPE_WORDS + ".");
        }
        return ValueType.fromWire(node.textValue())
                .orElseThrow(() -> new InvalidInput(field, field + " must be one of " + TYPE_WORDS + "."));
    }

    private static InvalidInput notASpec(String field) {
        return new InvalidInput(field, field + " must be a type word (" + TYPE_WORDS
                + ") or an object with one of css, json or regex.");
    }

    /** The value of an optional key, or null when it is absent or JSON null (both mean the default). */
    private static JsonNode optional(JsonNode spec, String key) {
        JsonNode value = spec.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private static void onlyKnown(JsonNode spec, String field, String form) {
        Set<String> known = KEYS.get(form);
        spec.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                String keyField = join(field, key);
                throw new InvalidInput(keyField, "Unknown field '" + keyField + "': a " + form + " spec takes "
                        + KEYS_IN_WORDS.get(form) + ".");
            }
        });
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.isBoolean()) {
            throw new InvalidInput(field, field + " must be true or false.");
        }
        return node.booleanValue();
    }

    private static String text(JsonNode node, String field, int maxLength) {
        if (node == null || !node.isTextual()) {
            throw new InvalidInput(field, field + " must be a string.");
        }
        if (node.textValue().length() > maxLength) {
            throw new InvalidInput(field, field + " must be at most " + maxLength + " characters.");
        }
        return node.textValue();
    }

    static boolean isFieldName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** As the API's {@code Fields.join}, which is private to its package. */
    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
