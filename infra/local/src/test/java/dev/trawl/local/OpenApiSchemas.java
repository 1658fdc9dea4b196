package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The schemas of openapi.yaml, to check what the API really answers against what the document promises. */
final class OpenApiSchemas {
    private static final String BASE = "https://trawl.invalid/openapi.json";
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();
    private static volatile OpenApiSchemas loaded;
    private final JsonNode doc;
    private final SchemaRegistry registry;

    private OpenApiSchemas(JsonNode doc) {
        this.doc = doc;
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(BASE, doc.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER)
                        .build()));
    }

    static OpenApiSchemas get() {
        if (loaded == null) {
            synchronized (OpenApiSchemas.class) {
                if (loaded == null) {
                    Path openapi = LocalStackExtension.template().resolveSibling("openapi.yaml");
                    try {
                        Object yaml = new Yaml().load(Files.readString(openapi));
                        loaded = new OpenApiSchemas(toJson(yaml));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return loaded;
    }

    /** YAML as JSON nodes of the kinds the service writes: a YAML {@code 1.0} stays the double 1.0. */
    private static JsonNode toJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case null -> f.nullNode();
            case Map<?, ?> map -> {
                ObjectNode o = f.objectNode();
                map.forEach((key, v) -> o.set(String.valueOf(key), toJson(v)));
                yield o;
            }
            case List<?> list -> {
                ArrayNode a = f.arrayNode();
                list.forEach(v -> a.add(toJson(v)));
                yield a;
            }
            case String s -> f.textNode(s);
            case Boolean b -> f.booleanNode(b);
            case Integer i -> f.numberNode(i);
            case Long l -> f.numberNode(l);
            case java.math.BigInteger b -> f.numberNode(b);
            case Double d -> f.numberNode(d);
            default -> throw new AssertionError(value.getClass().getSimpleName() + " '" + value + "' is not JSON");
        };
    }

    /** The document as JSON, map entries in the order written. */
    JsonNode doc() {
        return doc;
    }

    /** The errors of {@code value} against the schema at the JSON pointer {@code pointer}; empty when valid. */
    List<Error> validate(String pointer, JsonNode value) {
        if (!doc.at(pointer).isObject()) {
            throw new AssertionError("no schema at " + pointer);
        }
        return COMPILED.computeIfAbsent(pointer, this::compile).validate(value);
    }

    /** The same, failing with the errors when there are any. */
    void assertValid(String pointer, JsonNode value) {
        List<Error> errors = validate(pointer, value);
        if (!errors.isEmpty()) {
            throw new AssertionError(value + " is not valid against " + pointer + ": " + errors);
        }
    }

    private Schema compile(String pointer) {
        StringBuilder fragment = new StringBuilder();
        for (String token : pointer.split("/", -1)) {
            if (!fragment.isEmpty() || !token.isEmpty()) {
                // The validator percent-decodes fragments and reads "~1" literally: "/v1/jobs" goes as "%2Fv1%2Fjobs".
                String name = token.replace("~1", "/").replace("~0", "~");
                fragment.append('/').append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return registry.getSchema(SchemaLocation.of(BASE + "#" + fragment));
    }
}
