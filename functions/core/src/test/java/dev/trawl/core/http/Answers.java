package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every answer of the API must look like, whatever it was asked. */
final class Answers {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");

    private Answers() {
    }

    /** No 5xx, and every 4xx in the contract's error form; a JSON success body must be JSON. */
    static void assertAnswered(ApiResponse response) throws Exception {
        assertNotNull(response, "no response");
        assertTrue(response.status() >= 200 && response.status() < 500, "status " + response.status() + ": "
                + Fuzz.shown(response.body()));
        if (response.status() >= 400) {
            assertErrorForm(response);
        } else if ("application/json".equals(response.headers().get("content-type"))) {
            assertTrue(Json.parse(response.body()).isObject(), "a JSON success body is an object");
        }
    }

    /** {@code {"error": {"code", "message", "field"?}}} and nothing else; returns the error object. */
    static JsonNode assertErrorForm(ApiResponse response) throws Exception {
        assertEquals("application/json", response.headers().get("content-type"));
        JsonNode body = Json.parse(response.body());
        assertTrue(body.isObject(), "the body is a JSON object");
        assertEquals(List.of("error"), body.properties().stream().map(Map.Entry::getKey).toList());
        JsonNode error = body.get("error");
        assertTrue(error.isObject(), "error is an object");
        assertTrue(error.path("code").isTextual() && CODE.matcher(error.get("code").textValue()).matches(),
                "error.code is a snake_case string: " + error.get("code"));
        assertTrue(error.path("message").isTextual() && !error.get("message").textValue().isBlank(),
                "error.message is a non-blank string");
        assertTrue(error.get("field") == null || error.get("field").isTextual(), "error.field, when present, is a string");
        for (var name : error.properties()) {
            assertTrue(List.of("code", "message", "field").contains(name.getKey()), "unexpected error." + name.getKey());
        }
        return error;
    }

    /** The error form with this status, code and (when not null) field. */
    static void assertError(ApiResponse response, int status, String code, String field) throws Exception {
        assertEquals(status, response.status(), Fuzz.shown(response.body()));
        JsonNode error = assertErrorForm(response);
        assertEquals(code, error.get("code").textValue());
        if (field != null) {
            assertEquals(field, error.path("field").textValue(), Fuzz.shown(response.body()));
        }
    }
}
