package dev.trawl.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;

import java.util.Iterator;
import java.util.Set;

/** Typed reads of request fields, each failing with a {@code 400} that names the field. */
final class Fields {
    private Fields() {
    }

    /** A request body as JSON; whatever the parser cannot read is a {@code 400}, never a failure of the service. */
    static JsonNode json(String body) {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "The request body is not valid JSON.");
        } catch (NumberFormatException e) {
            // Jackson lets this one out unwrapped: a number whose exponent is past int's range, such as 1e-2147483649.
            throw ApiError.invalid(null, "The request body holds a number too large or too small to read.");
        }
    }

    static long integer(JsonNode node, String field, long min, long max) {
        if (node == null || !node.isNumber() || !isWhole(node)) {
            throw ApiError.invalid(field, field + " must be a whole number from " + min + " to " + max + ".");
        }
        if (!node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw ApiError.invalid(field, field + " must be from " + min + " to " + max + ".");
        }
        return node.asLong();
    }

    static boolean bool(JsonNode node, String field) {
        if (node == null || !node.isBoolean()) {
            throw ApiError.invalid(field, field + " must be true or false.");
        }
        return node.booleanValue();
    }

    static String text(JsonNode node, String field, int maxLength) {
        if (node == null || !node.isTextual()) {
            throw ApiError.invalid(field, field + " must be a string.");
        }
        if (node.textValue().length() > maxLength) {
            throw ApiError.invalid(field, field + " must be at most " + maxLength + " characters.");
        }
        return node.textValue();
    }

    static JsonNode object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw ApiError.invalid(field, field + " must be a JSON object.");
        }
        return node;
    }

    /** Refuses any field outside {@code known}, so that a misspelt option is never silently ignored. */
    static void onlyKnown(JsonNode object, String path, Set<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String field = path.isEmpty() ? name : path + "." + name;
                throw ApiError.invalid(field, "Unknown field '" + field + "'.");
            }
        }
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static boolean isWhole(JsonNode node) {
        if (node.isIntegralNumber()) {
            return true;
        }
        try {
            return node.decimalValue().stripTrailingZeros().scale() <= 0;
        } catch (ArithmeticException e) {
            return false;
        }
    }
}
