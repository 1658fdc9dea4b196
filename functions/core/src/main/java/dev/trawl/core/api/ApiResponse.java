package dev.trawl.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

import java.util.LinkedHashMap;
import java.util.Map;

public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("content-type", "application/json"), Json.write(body));
    }

    public static ApiResponse error(ApiError error) {
        ObjectNode detail = Json.object();
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) {
            detail.put("field", error.field());
        }
        ObjectNode body = Json.object();
        body.set("error", detail);
        return json(error.status(), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, Map.copyOf(copy), body);
    }
}
