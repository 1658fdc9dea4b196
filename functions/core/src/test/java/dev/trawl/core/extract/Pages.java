package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The saved pages under {@code src/test/resources/pages}, and extraction from them. */
final class Pages {
    private static final Extractor EXTRACTOR = new Extractor();

    /** Numbers compare by value: the expected JSON reads 12.5 as a decimal, extraction gives a double. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private Pages() {
    }

    static void assertJson(String expected, JsonNode actual, String message) {
        JsonNode expectedNode;
        try {
            expectedNode = Json.parse(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!expectedNode.equals(NUMBERS_BY_VALUE, actual)) {
            assertEquals(expectedNode.toPrettyString(), actual.toPrettyString(), message);
        }
    }

    static void assertJson(String expected, JsonNode actual) {
        assertJson(expected, actual, null);
    }

    static byte[] bytes(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no saved page " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Extraction extraction(String json) {
        try {
            return Extraction.parse(Json.parse(json), "extract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode extract(String extractJson, byte[] body, String contentType) {
        return EXTRACTOR.extract(extraction(extractJson), body, body.length, contentType);
    }

    static ObjectNode extract(String extractJson, String page, String contentType) {
        return extract(extractJson, bytes(page), contentType);
    }
}
