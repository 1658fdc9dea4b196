package dev.trawl.local;

import dev.trawl.core.util.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the local API Gateway answers by itself, before or instead of a function. A {@code 4xx} carries the
 * contract's error object ({@code {"error": {"code", "message"}}}), as every {@code 4xx} of the API must; a
 * {@code 5xx} is API Gateway's own, word for word ({@code {"message":"Internal Server Error"}},
 * {@code {"message":"Service Unavailable"}}).
 */
final class GatewayAnswers {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    private GatewayAnswers() {
    }

    static GatewayServer.Response error(int status, String code, String message) {
        var body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, Json.write(body));
    }

    static GatewayServer.Response notFound(String method, String path) {
        return error(404, "not_found", "No route for " + method + " " + path + ".");
    }

    static GatewayServer.Response malformed(String message) {
        return error(400, "invalid_request", message);
    }

    /** API Gateway's answer when the function failed, timed out or answered what it cannot use. */
    static GatewayServer.Response internalServerError() {
        return json(500, "{\"message\":\"Internal Server Error\"}");
    }

    /** API Gateway's answer when the function has not answered within the route's integration time-out. */
    static GatewayServer.Response serviceUnavailable() {
        return json(503, "{\"message\":\"Service Unavailable\"}");
    }

    /** The answer for a status the HTTP server itself refused a request with. */
    static GatewayServer.Response forStatus(int status) {
        return switch (status) {
            case 404 -> error(404, "not_found", "Nothing here.");
            case 413 -> error(413, "payload_too_large", "The request is too large.");
            case 503 -> serviceUnavailable();
            default -> status >= 400 && status < 500
                    ? error(status, "invalid_request", "The request is malformed.")
                    : internalServerError();
        };
    }

    private static GatewayServer.Response json(int status, String body) {
        return new GatewayServer.Response(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }
}
