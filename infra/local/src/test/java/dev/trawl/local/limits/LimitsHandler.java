package dev.trawl.local.limits;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The function behind the limits test stack's routes ({@code src/test/resources/limits/template.yaml}), by path:
 * {@code /echo} answers what its event carried, {@code /big?bytes=N} an answer of N bytes, {@code /sleep?ms=N&token=T}
 * answers after N ms and then notes T in {@link #FINISHED}, so a test sees an invocation go on after the client's
 * answer.
 */
public final class LimitsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The tokens of the {@code /sleep} invocations that ran to their end. */
    public static final Set<String> FINISHED = ConcurrentHashMap.newKeySet();

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        String path = event.getRawPath();
        if (path.startsWith("/sleep")) {
            try {
                Thread.sleep(Long.parseLong(query.get("ms")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("cut off", e);
            }
            FINISHED.add(query.get("token"));
            return answer("slept");
        }
        if (path.equals("/big")) {
            return answer("a".repeat(Integer.parseInt(query.get("bytes"))));
        }
        ObjectNode echo = Json.object();
        echo.put("body", event.getBody());
        echo.put("isBase64Encoded", event.getIsBase64Encoded());
        echo.put("rawQueryString", event.getRawQueryString());
        echo.put("hasQueryParameters", event.getQueryStringParameters() != null);
        echo.put("memoryMb", context.getMemoryLimitInMB());
        var authorizer = event.getRequestContext().getAuthorizer();
        echo.put("key", authorizer == null ? null : String.valueOf(authorizer.getLambda().get("key")));
        return answer(Json.write(echo));
    }

    private static APIGatewayV2HTTPResponse answer(String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
    }
}
