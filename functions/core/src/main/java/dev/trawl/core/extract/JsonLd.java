package dev.trawl.core.extract;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.trawl.core.util.Json;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The entities of a page's {@code <script type="application/ld+json">} blocks: top-level objects, array items,
 * {@code @graph} members and {@code mainEntity}s, ranked Product first, then other types in page order, then the
 * {@linkplain SchemaTypes#isAuxiliary auxiliary} ones (breadcrumbs, organization, website).
 */
final class JsonLd {
    /** Hand-written blocks often carry a trailing comma or a comment; neither hides the data. */
    private static final ObjectReader LENIENT = Json.MAPPER.reader().withFeatures(
            JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
            JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS);
    private static final int MAX_ENTITIES = 1_000;
    private static final int MAX_DEPTH = 8;
    /** How a nested object stands for one value: a JSON-LD value object, a PropertyValue, a Brand, an ImageObject. */
    private static final List<String> VALUE_KEYS = List.of("@value", "value", "name", "url", "contentUrl", "@id");

    private record Entity(JsonNode node, int rank) {
    }

    private final List<Entity> entities;

    private JsonLd(List<Entity> entities) {
        this.entities = entities;
    }

    static JsonLd of(Document document) {
        List<JsonNode> found = new ArrayList<>();
        for (Element script : document.getElementsByTag("script")) {
            if (isJsonLd(script.attr("type"))) {
                try {
                    collect(LENIENT.readTree(script.data()), found, 0);
                } catch (Exception e) {
                    // one broken block must not hide the others
                }
            }
        }
        List<Entity> entities = new ArrayList<>(found.size());
        found.forEach(node -> entities.add(new Entity(node, rank(node))));
        entities.sort(Comparator.comparingInt(Entity::rank));
        return new JsonLd(List.copyOf(entities));
    }

    /**
     * Candidate values for a field: those of the main entities, or with {@code auxiliary} those of the auxiliary
     * ones, each entity searched {@linkplain JsonSearch breadth-first} (so {@code price} finds {@code offers.price}).
     * An array stands for its items in turn and an object for its {@link #VALUE_KEYS value}.
     */
    List<JsonNode> candidates(FieldNames names, boolean auxiliary) {
        List<JsonNode> candidates = new ArrayList<>();
        for (Entity entity : entities) {
            if ((entity.rank() == 2) == auxiliary) {
                for (JsonNode value : JsonSearch.find(entity.node(), names)) {
                    addUnwrapped(value, candidates, 0);
                }
            }
        }
        return candidates;
    }

    private static void addUnwrapped(JsonNode value, List<JsonNode> candidates, int depth) {
        if (depth > 2) {
            return;
        }
        if (value.isArray()) {
            value.forEach(item -> addUnwrapped(item, candidates, depth + 1));
        } else if (value.isObject()) {
            VALUE_KEYS.stream().map(value::get).filter(v -> v != null && v.isValueNode()).findFirst()
                    .ifPresent(candidates::add);
        } else {
            candidates.add(value);
        }
    }

    private static boolean isJsonLd(String type) {
        int semicolon = type.indexOf(';');
        String mime = semicolon < 0 ? type : type.substring(0, semicolon);
        return mime.trim().toLowerCase(Locale.ROOT).equals("application/ld+json");
    }

    private static void collect(JsonNode node, List<JsonNode> out, int depth) {
        if (depth > MAX_DEPTH || out.size() >= MAX_ENTITIES) {
            return;
        }
        if (node.isArray()) {
            node.forEach(item -> collect(item, out, depth + 1));
        } else if (node.isObject()) {
            JsonNode graph = node.get("@graph");
            if (graph == null || node.has("@type")) {
                out.add(node);
            }
            if (graph != null) {
                collect(graph, out, depth + 1);
            }
            JsonNode mainEntity = node.get("mainEntity");
            if (mainEntity != null) {
                collect(mainEntity, out, depth + 1);
            }
        }
    }

    /** 0 for a product, 1 for another subject, 2 for site furniture. */
    private static int rank(JsonNode entity) {
        List<String> types = new ArrayList<>();
        JsonNode type = entity.path("@type");
        if (type.isTextual()) {
            types.add(type.textValue());
        } else {
            type.forEach(t -> {
                if (t.isTextual()) {
                    types.add(t.textValue());
                }
            });
        }
        if (types.stream().anyMatch(SchemaTypes::isProduct)) {
            return 0;
        }
        return !types.isEmpty() && types.stream().allMatch(SchemaTypes::isAuxiliary) ? 2 : 1;
    }
}
