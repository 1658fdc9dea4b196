package dev.trawl.core.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.Expired;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.Refusal;
import dev.trawl.core.error.TooLarge;
import dev.trawl.core.error.TooMany;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.util.Json;

import java.util.LinkedHashMap;
import java.util.Map;

public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("content-type", "application/json"), Json.write(body));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), "");
    }

    public static ApiResponse error(ApiError error) {
        return error(error.status(), error.code(), error.getMessage(), error.field());
    }

    /** A use case's refusal, with the status the contract gives its kind. */
    public static ApiResponse error(Refusal refusal) {
        ApiResponse response = error(statusOf(refusal), refusal.code(), refusal.getMessage(), refusal.field());
        if (refusal instanceof TooMany tooMany && tooMany.retryAfterSeconds() != null) {
            return response.withHeader("retry-after", Long.toString(tooMany.retryAfterSeconds()));
        }
        return response;
    }

    public static int statusOf(Refusal refusal) {
        return switch (refusal) {
            case InvalidInput invalid -> 400;
            case NotFound notFound -> 404;
            case Conflict conflict -> 409;
            case TooLarge tooLarge -> 413;
            case Unprocessable unprocessable -> 422;
            case Expired expired -> 410;
            case TooMany tooMany -> 429;
        };
    }

    private static ApiResponse error(int status, String code, String message, String field) {
        ObjectNode detail = Json.object();
        detail.put("code", code);
        detail.put("message", message);
        if (field != null) {
            detail.put("field", field);
        }
        ObjectNode body = Json.object();
        body.set("error", detail);
        return json(status, body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, Map.copyOf(copy), body);
    }
}
