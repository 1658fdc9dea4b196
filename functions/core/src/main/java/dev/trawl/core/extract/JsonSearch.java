package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Finds a field by name anywhere in a JSON tree, the shallowest first. */
final class JsonSearch {
    /** Bounds the work for one field on a huge body; a key this deep in is not what a type word means anyway. */
    private static final int MAX_NODES = 100_000;
    private static final int MAX_FOUND = 50;

    private JsonSearch() {
    }

    /**
     * The values under keys that match {@code names}, breadth-first: a top-level key before a nested one, and within
     * one object the field's own name before its aliases. Keys are matched as {@link FieldNames} compares them.
     */
    static List<JsonNode> find(JsonNode root, FieldNames names) {
        List<JsonNode> found = new ArrayList<>();
        ArrayDeque<JsonNode> queue = new ArrayDeque<>();
        queue.add(root);
        int visited = 0;
        while (!queue.isEmpty() && visited++ < MAX_NODES && found.size() < MAX_FOUND) {
            JsonNode node = queue.poll();
            if (node.isObject()) {
                List<Map.Entry<String, JsonNode>> matches = new ArrayList<>(1);
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    if (names.rank(property.getKey()) >= 0) {
                        matches.add(property);
                    }
                    enqueueContainer(queue, property.getValue());
                }
                matches.sort(Comparator.comparingInt(match -> names.rank(match.getKey())));
                matches.forEach(match -> found.add(match.getValue()));
            } else {
                node.forEach(element -> enqueueContainer(queue, element));
            }
        }
        return found;
    }

    private static void enqueueContainer(ArrayDeque<JsonNode> queue, JsonNode node) {
        if (node.isContainerNode()) {
            queue.add(node);
        }
    }
}
