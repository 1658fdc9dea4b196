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
import dev.trawl.core.http.HttpApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * openapi.yaml documents exactly the routes the code serves and the template routes, and every example in it
 * is valid against the schema it illustrates (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
class OpenApiTest {
    private static final Path TEMPLATE = LocalStackExtension.template();
    private static final Path OPENAPI = TEMPLATE.resolveSibling("openapi.yaml");
    /** Where the validator believes the document lives; nothing is fetched from it. */
    private static final String BASE = "https://trawl.invalid/openapi.json";
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static JsonNode doc;
    private static SchemaRegistry registry;

    /** One example and the JSON pointer of the schema it must satisfy. */
    record Example(String where, String schemaPointer, JsonNode value) {
    }

    @BeforeAll
    static void load() throws Exception {
        doc = toJson(new Yaml().load(Files.readString(OPENAPI)), "");
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(BASE, doc.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER)
                        .build()));
    }

    @Test
    void documentsExactlyTheRoutesTheApiServesAndTheTemplateRoutes() throws Exception {
        assertEquals("3.1.0", doc.path("openapi").asText());
        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            // A path-level key (parameters, summary, …) would read as a route to TemplateTest: keep them in the operations.
            assertTrue(HTTP_METHODS.contains(operation.getKey()), path.getKey() + " has '" + operation.getKey() + "'");
            documented.add(operation.getKey().toUpperCase() + " " + path.getKey());
        }));
        assertEquals(new TreeSet<>(HttpApi.ROUTES), documented, "openapi.yaml vs HttpApi.ROUTES");

        Set<String> routed = new TreeSet<>();
        for (Template.FunctionDef function : Template.read(TEMPLATE).functions().values()) {
            for (Template.Route route : function.routes()) {
                if (!route.path().endsWith("+}")) {
                    routed.add(route.routeKey());
                }
            }
        }
        assertEquals(routed, documented, "openapi.yaml vs the HttpApi routes of template.yaml");
    }

    @Test
    void everyOperationDeclaresItsPathParametersAndAnswersClientErrorsInTheErrorForm() {
        List<String> problems = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String operation = entry.getKey().toUpperCase() + " " + path.getKey();
            JsonNode op = entry.getValue();
            assertTrue(op.hasNonNull("operationId"), operation);
            Set<String> declared = new TreeSet<>();
            for (JsonNode parameter : op.path("parameters")) {
                JsonNode p = resolve(parameter);
                if ("path".equals(p.path("in").asText())) {
                    declared.add(p.path("name").asText());
                }
            }
            Set<String> inPath = new TreeSet<>();
            Matcher m = PATH_PARAMETER.matcher(path.getKey());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            if (!declared.equals(inPath)) {
                problems.add(operation + " declares path parameters " + declared + ", its path has " + inPath);
            }
            if (op.has("requestBody") && !hasJsonExample(resolve(op.get("requestBody")))) {
                problems.add(operation + ": the request body has no example");
            }
            // an operation that takes no API key ("security: []") has no 401 to document
            boolean keyless = op.has("security") && op.get("security").isEmpty();
            assertTrue(keyless || op.path("responses").has("401"), operation + " documents no 401");
            op.path("responses").properties().forEach(response -> {
                String code = response.getKey();
                JsonNode r = resolve(response.getValue());
                if (code.startsWith("4")) {
                    String schemaRef = r.path("content").path("application/json").path("schema").path("$ref").asText();
                    if (!schemaRef.equals("#/components/schemas/Error")) {
                        problems.add(operation + " " + code + " is not in the error form");
                    }
                }
                if ((code.startsWith("2") || code.startsWith("4")) && r.has("content") && !hasJsonExample(r)) {
                    problems.add(operation + " " + code + " has no example");
                }
            });
        }));
        assertEquals(List.of(), problems);
    }

    @Test
    void everyReferenceResolvesAndEveryNamedExampleIsUsed() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref + " points outside the document");
            assertFalse(doc.at(ref.substring(1)).isMissingNode(), ref + " points at nothing");
        }
        doc.path("components").path("examples").fieldNames().forEachRemaining(name ->
                assertTrue(refs.contains("#/components/examples/" + name), "components/examples/" + name + " is never used"));
    }

    @Test
    void everyExampleIsValidAgainstItsSchema() {
        List<Example> examples = new ArrayList<>();
        collect(doc, "", examples);
        // At least: the create bodies, a job per route, errors, rows, metrics, parameters and headers.
        assertTrue(examples.size() >= 60, "only " + examples.size() + " examples found");
        Map<String, Schema> schemas = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            List<Error> errors = schemas.computeIfAbsent(example.schemaPointer(), OpenApiTest::schemaAt).validate(example.value());
            if (!errors.isEmpty()) {
                failures.add(example.where() + " (schema " + example.schemaPointer() + "): " + errors);
            }
        }
        assertEquals(List.of(), failures);
        Set<String> checkedSchemas = new TreeSet<>(schemas.keySet());
        for (String name : List.of("Job", "JobList", "CreateJob", "Error", "Metrics", "Deleted", "ResultRow")) {
            assertTrue(examples.stream().anyMatch(e -> illustrates(e, name)), "no example of " + name + " in " + checkedSchemas);
        }
    }

    /** The validator really checks: a broken example of each kind is refused, also behind $refs and allOf. */
    @Test
    void theValidatorRefusesBrokenExamples() {
        String jobPointer = "/paths/" + escape("/v1/jobs/{id}") + "/get/responses/200/content/application~1json";
        JsonNode goodJob = doc.at(jobPointer + "/examples/running/value");
        assertTrue(goodJob.isObject(), "the running job example moved");
        Schema job = schemaAt(jobPointer + "/schema");
        assertEquals(List.of(), job.validate(goodJob));

        ObjectNode exploded = goodJob.deepCopy();
        exploded.put("status", "exploded");
        assertRefused(job, exploded, "/status");

        ObjectNode badId = goodJob.deepCopy();
        badId.put("id", "job_lowercase0000000000000000");
        assertRefused(job, badId, "/id");

        ObjectNode noTotal = goodJob.deepCopy();
        noTotal.remove("urls_total");
        assertRefused(job, noTotal, "");

        ObjectNode page = JsonNodeFactory.instance.objectNode();
        page.putArray("jobs").add(goodJob.deepCopy()).add(exploded);
        page.putNull("next_cursor");
        assertRefused(schemaAt("/components/schemas/JobList"), page, "/jobs/1/status");

        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.putObject("error").put("code", "exploded").put("message", "Boom.");
        assertRefused(schemaAt("/components/schemas/Error"), error, "/error/code");

        Schema create = schemaAt("/components/schemas/CreateJob");
        ObjectNode webhook = JsonNodeFactory.instance.objectNode();
        webhook.putObject("input").putArray("urls").add("https://example.com/");
        assertEquals(List.of(), create.validate(webhook));
        webhook.put("webhook", "https://your-app.example/hooks/jobs");
        assertEquals(List.of(), create.validate(webhook));
        webhook.put("webhook", "ftp://your-app.example/hooks/jobs");
        assertRefused(create, webhook, "/webhook");

        ObjectNode render = JsonNodeFactory.instance.objectNode();
        ArrayNode urls = render.putObject("input").putArray("urls");
        urls.addObject().put("url", "https://example.com/").put("timeout_ms", 5000);
        assertEquals(List.of(), create.validate(render));
        urls.addObject().put("url", "https://example.com/b").put("render", true);
        assertRefused(create, render, "/input/urls/1");

        ObjectNode percent = webhook.deepCopy();
        percent.remove("webhook");
        percent.put("max_errors", "101%");
        assertRefused(create, percent, "/max_errors");

        ObjectNode row = doc.at("/components/schemas/ResultRow/examples/0").deepCopy();
        assertEquals(List.of(), schemaAt("/components/schemas/ResultRow").validate(row));
        row.put("status", "skipped");
        ((ObjectNode) row.putObject("error")).put("code", "timeout").put("message", "timed out");
        assertRefused(schemaAt("/components/schemas/ResultRow"), row, "/error/code");

        ObjectNode metrics = doc.at("/paths/" + escape("/v1/jobs/{id}/metrics")
                + "/get/responses/200/content/application~1json/examples/completed/value").deepCopy();
        assertEquals(List.of(), schemaAt("/components/schemas/Metrics").validate(metrics));
        ((ObjectNode) metrics.get("fetch_ms")).put("p50", "fast");
        assertRefused(schemaAt("/components/schemas/Metrics"), metrics, "/fetch_ms/p50");
    }

    private static void assertRefused(Schema schema, JsonNode value, String instanceLocation) {
        List<Error> errors = schema.validate(value);
        assertFalse(errors.isEmpty(), "accepted: " + value);
        assertTrue(errors.stream().anyMatch(e -> e.getInstanceLocation().toString().startsWith(instanceLocation)),
                "no error at " + instanceLocation + ": " + errors);
    }

    /** The compiled schema at a JSON pointer of the document; its $refs resolve inside the document. */
    private static Schema schemaAt(String pointer) {
        StringBuilder fragment = new StringBuilder();
        for (String token : pointer.split("/", -1)) {
            if (!fragment.isEmpty() || !token.isEmpty()) {
                // The validator reads "~1" in a fragment literally, but percent-decodes: "/v1/jobs" goes as "%2Fv1%2Fjobs".
                String name = token.replace("~1", "/").replace("~0", "~");
                fragment.append('/').append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + fragment));
        assertTrue(doc.at(pointer).isObject(), "no schema at " + pointer);
        return schema;
    }

    /**
     * Every example with the pointer of its schema: {@code example}/{@code examples} of media types, parameters and
     * headers (next to their {@code schema}), {@code examples} and {@code default} of schemas.
     */
    private static void collect(JsonNode node, String pointer, List<Example> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode schema = node.get("schema");
        if (schema != null && schema.isObject()) {
            String schemaPointer = pointer + "/schema";
            if (node.has("example")) {
                out.add(new Example(pointer + "/example", schemaPointer, node.get("example")));
            }
            JsonNode examples = node.get("examples");
            if (examples != null) {
                if (!examples.isObject()) {
                    fail(pointer + "/examples must map names to Example objects");
                }
                examples.properties().forEach(e -> {
                    JsonNode example = resolve(e.getValue());
                    if (!example.has("value")) {
                        fail(pointer + "/examples/" + e.getKey() + " has no value");
                    }
                    out.add(new Example(pointer + "/examples/" + escape(e.getKey()), schemaPointer, example.get("value")));
                });
            }
        } else if (isSchema(node)) {
            JsonNode examples = node.get("examples");
            if (examples != null) {
                if (!examples.isArray()) {
                    fail(pointer + "/examples of a schema must be a list");
                }
                for (int i = 0; i < examples.size(); i++) {
                    out.add(new Example(pointer + "/examples/" + i, pointer, examples.get(i)));
                }
            }
            if (node.has("example")) {
                out.add(new Example(pointer + "/example", pointer, node.get("example")));
            }
            if (node.has("default")) {
                out.add(new Example(pointer + "/default", pointer, node.get("default")));
            }
        }
        node.properties().forEach(e -> {
            // Example values are data, not document structure; components/examples are reached through their $refs.
            if (!e.getKey().equals("example") && !e.getKey().equals("examples")) {
                collect(e.getValue(), pointer + "/" + escape(e.getKey()), out);
            }
        });
    }

    /** A schema object: one with a type, a composition or a $ref, as opposed to a map of names (properties, …). */
    private static boolean isSchema(JsonNode node) {
        JsonNode type = node.get("type");
        return (type != null && (type.isTextual() || type.isArray()))
                || node.has("oneOf") || node.has("anyOf") || node.has("allOf") || node.has("$ref")
                || node.has("enum") || node.has("const");
    }

    private static boolean illustrates(Example example, String schemaName) {
        String ref = doc.at(example.schemaPointer()).path("$ref").asText();
        return example.schemaPointer().equals("/components/schemas/" + schemaName)
                || ref.equals("#/components/schemas/" + schemaName);
    }

    private static boolean hasJsonExample(JsonNode withContent) {
        JsonNode media = withContent.path("content").path("application/json");
        return media.has("example") || media.path("examples").size() > 0;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            assertTrue(hops < 10, "a $ref loop at " + node);
            String ref = current.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), ref);
            current = doc.at(ref.substring(1));
            assertFalse(current.isMissingNode(), ref + " points at nothing");
        }
        return current;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.path("$ref").isTextual()) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * The YAML as JSON, refusing what JSON has no word for: a value SnakeYAML reads as a date or a non-string
     * key would otherwise reach the validator as something the document's author did not write.
     */
    @SuppressWarnings("unchecked")
    private static JsonNode toJson(Object value, String pointer) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case null -> f.nullNode();
            case Map<?, ?> map -> {
                ObjectNode o = f.objectNode();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new AssertionError(pointer + ": key " + e.getKey() + " is not a string; quote it");
                    }
                    o.set(key, toJson(e.getValue(), pointer + "/" + escape(key)));
                }
                yield o;
            }
            case List<?> list -> {
                ArrayNode a = f.arrayNode();
                for (int i = 0; i < list.size(); i++) {
                    a.add(toJson(list.get(i), pointer + "/" + i));
                }
                yield a;
            }
            case String s -> f.textNode(s);
            case Boolean b -> f.booleanNode(b);
            case Integer i -> f.numberNode(i);
            case Long l -> f.numberNode(l);
            case BigInteger b -> f.numberNode(b);
            case Double d -> f.numberNode(d);
            default -> throw new AssertionError(pointer + ": " + value.getClass().getSimpleName() + " '" + value
                    + "' is not JSON; quote it");
        };
    }
}
