package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A job's {@code extract}: the fields each ok row's {@code data} holds, in the client's order. */
public record Extraction(Map<String, FieldSpec> fields) {

    public static final int MAX_FIELDS = 50;

    /** One result-file column per field. A list-valued field is a STRING column holding a JSON array. */
    public record Column(String name, ValueType type, boolean list) {
    }

    public Extraction {
        Objects.requireNonNull(fields, "fields");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Reads and validates a client's {@code extract} object.
     *
     * @param path where {@code node} sits in the request (e.g. {@code defaults.extract}), to name the field in errors
     * @throws dev.trawl.core.error.InvalidInput naming the offending field
     */
    public static Extraction parse(JsonNode node, String path) {
        return SpecParser.parse(node, path);
    }

    /** Rebuilds an extraction stored with {@link #toJson()}; the data was validated when the job was created. */
    public static Extraction fromJson(JsonNode node) {
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        node.properties().forEach(field -> fields.put(field.getKey(), SpecParser.trusted(field.getValue())));
        return new Extraction(fields);
    }

    /**
     * The extraction in the request's own form with every default written out, so that it reads back to an equal
     * extraction by {@link #fromJson} and by {@link #parse}.
     */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        fields.forEach((name, spec) -> {
            switch (spec) {
                case FieldSpec.Named named -> out.put(name, named.type().wire());
                case FieldSpec.Css css -> {
                    ObjectNode o = out.putObject(name).put("css", css.selector());
                    if (css.attr() != null) {
                        o.put("attr", css.attr());
                    }
                    o.put("all", css.all()).put("type", css.type().wire());
                }
                case FieldSpec.Pointer pointer -> out.putObject(name).put("json", pointer.pointer().toString())
                        .put("all", pointer.all()).put("type", pointer.type().wire());
                case FieldSpec.Regex regex -> out.putObject(name).put("regex", regex.pattern())
                        .put("group", regex.group()).put("all", regex.all()).put("type", regex.type().wire());
            }
        });
        return out;
    }

    /** The {@code data.<name>} columns of the result files in the client's order, each named by the bare field name. */
    public List<Column> columns() {
        List<Column> columns = new ArrayList<>(fields.size());
        fields.forEach((name, spec) -> columns.add(spec.all()
                ? new Column(name, ValueType.STRING, true)
                : new Column(name, spec.type(), false)));
        return columns;
    }

    public List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }
}
