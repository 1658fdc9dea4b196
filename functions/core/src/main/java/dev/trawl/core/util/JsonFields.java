package dev.trawl.core.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;

import java.util.Iterator;
import java.util.Set;

/** Typed reads of JSON fields, each failing with an {@link InvalidInput} that names the field. */
public final class JsonFields {
    private JsonFields() {
    }

    /** A request body as JSON; whatever the parser cannot read is invalid input, never a failure of the service. */
    public static JsonNode json(String body) {
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInput(null, "The request body is not valid JSON.");
        } catch (NumberFormatException e) {
            // Jackson lets this one out unwrapped: a number whose exponent is past int's range, such as 1e-2147483649.
            throw new InvalidInput(null, "The request body holds a number too large or too small to read.");
        }
    }

    public static long integer(JsonNode node, String field, long min, long max) {
        if (node == null || !node.isNumber() || !isWhole(node)) {
            throw new InvalidInput(field, field + " must be a whole number from " + min + " to " + max + ".");
        }
        if (!node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw new InvalidInput(field, field + " must be from " + min + " to " + max + ".");
        }
        return node.asLong();
    }

    public static boolean bool(JsonNode node, String field) {
        if (node == null || !node.isBoolean()) {
            throw new InvalidInput(field, field + " must be true or false.");
        }
        return node.booleanValue();
    }

    public static String text(JsonNode node, String field, int maxLength) {
        if (node == null || !node.isTextual()) {
            throw new InvalidInput(field, field + " must be a string.");
        }
        if (node.textValue().length() > maxLength) {
            throw new InvalidInput(field, field + " must be at most " + maxLength + " characters.");
        }
        return node.textValue();
    }

    public static JsonNode object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput(field, field + " must be a JSON object.");
        }
        return node;
    }

    /** Refuses any field outside {@code known}, so that a misspelt option is never silently ignored. */
    public static void onlyKnown(JsonNode object, String path, Set<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String field = path.isEmpty() ? name : path + "." + name;
                throw new InvalidInput(field, "Unknown field '" + field + "'.");
            }
        }
    }

    public static String join(String path, String name) {
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
