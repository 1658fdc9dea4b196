package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link Extraction} to a response body. Stateless, so one instance serves every thread.
 *
 * <p>A field that cannot be found, whose body is of the wrong kind for its spec (css on JSON, json on HTML, anything
 * but regex on a binary body), whose regex runs out of time, or whose value does not coerce is null; nothing about a
 * body ever makes extraction throw. With {@code all} the value is an array of every match, null in place of a match
 * that does not coerce so that parallel lists stay aligned; an empty array when nothing matched, but null when the
 * field could not be evaluated at all. A list holds at most {@value #MAX_ITEMS} items.
 */
public final class Extractor {
    public static final int MAX_ITEMS = 1_000;

    /**
     * The field values for one body, every field of {@code extraction} present in its order.
     *
     * @param length how many bytes of {@code body} are the response; the rest is ignored
     * @param contentType the response's Content-Type header, or null
     */
    public ObjectNode extract(Extraction extraction, byte[] body, int length, String contentType) {
        Body page = new Body(body, length, contentType);
        ObjectNode data = Json.object();
        for (Map.Entry<String, FieldSpec> field : extraction.fields().entrySet()) {
            JsonNode value;
            try {
                value = value(field.getKey(), field.getValue(), page);
            } catch (Exception | StackOverflowError e) {
                // a page that trips jsoup or a selector costs its own field, never the row
                value = null;
            }
            data.set(field.getKey(), value == null ? NullNode.getInstance() : value);
        }
        return data;
    }

    /** The charset the text of a body is decoded with (for the regex form), as {@link Body#charsetOf} decides it. */
    public static Charset charsetOf(String contentType, byte[] body, int length) {
        return Body.charsetOf(contentType, body, length);
    }

    private static JsonNode value(String name, FieldSpec spec, Body page) {
        return switch (spec) {
            case FieldSpec.Named named -> named(name, named.type(), page);
            case FieldSpec.Css css -> css(css, page.document());
            case FieldSpec.Pointer pointer -> pointer(pointer, page.json());
            case FieldSpec.Regex regex -> regex(regex, page);
        };
    }

    private static JsonNode named(String name, ValueType type, Body page) {
        if (page.kind() == Body.Kind.JSON) {
            JsonNode tree = page.json();
            if (tree == null) {
                return null;
            }
            for (JsonNode candidate : JsonSearch.find(tree, FieldNames.of(name))) {
                JsonNode value = Coercion.fromJson(candidate, type, false);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }
        StructuredData structured = page.structured();
        return structured == null ? null : structured.find(name, type);
    }

    private static JsonNode css(FieldSpec.Css spec, Document document) {
        if (document == null) {
            return null;
        }
        if (!spec.all()) {
            Element element = document.selectFirst(spec.evaluator());
            return element == null ? null : Coercion.fromText(valueOf(element, spec.attr()), spec.type());
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Element element : document.select(spec.evaluator())) {
            if (list.size() == MAX_ITEMS) {
                break;
            }
            list.add(orNull(Coercion.fromText(valueOf(element, spec.attr()), spec.type())));
        }
        return list;
    }

    /** An attribute, or the element's text; a script's or style's text is its content, which jsoup keeps as data. */
    private static String valueOf(Element element, String attr) {
        if (attr != null) {
            String value = element.attr(attr);
            if (value.isEmpty() && attr.regionMatches(true, 0, "abs:", 0, 4)) {
                // with no page URL to resolve against jsoup gives "" for a relative URL: keep it as written instead
                value = element.attr(attr.substring(4));
            }
            return value;
        }
        String text = ElementText.of(element);
        boolean holdsData = element.normalName().equals("script") || element.normalName().equals("style");
        return text.isEmpty() && holdsData ? element.data() : text;
    }

    private static JsonNode pointer(FieldSpec.Pointer spec, JsonNode tree) {
        if (tree == null) {
            return null;
        }
        JsonNode node = tree.at(spec.pointer());
        if (node.isMissingNode()) {
            return null;
        }
        if (!spec.all()) {
            return Coercion.fromJson(node, spec.type(), true);
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (list.size() == MAX_ITEMS) {
                    break;
                }
                list.add(orNull(Coercion.fromJson(item, spec.type(), true)));
            }
        } else {
            list.add(orNull(Coercion.fromJson(node, spec.type(), true)));
        }
        return list;
    }

    private static JsonNode regex(FieldSpec.Regex spec, Body page) {
        String text = page.text();
        if (!spec.all()) {
            return Coercion.fromText(spec.regex().group(text, spec.group()), spec.type());
        }
        List<String> groups = spec.regex().groups(text, spec.group(), MAX_ITEMS);
        if (groups == null) {
            return null;
        }
        List<JsonNode> values = new ArrayList<>(groups.size());
        groups.forEach(group -> values.add(orNull(Coercion.fromText(group, spec.type()))));
        return Json.MAPPER.createArrayNode().addAll(values);
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.getInstance() : value;
    }
}
