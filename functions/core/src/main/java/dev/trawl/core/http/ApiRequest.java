package dev.trawl.core.http;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it, free of API Gateway types.
 *
 * @param routeKey    the matched route, e.g. {@code GET /v1/jobs/{id}}
 * @param headers     header names in lower case
 * @param query       every query parameter with all its values, in order
 * @param tenant      the tenant the authorizer found for the request's key, or null when the key was not accepted
 */
public record ApiRequest(
        String routeKey,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        Map<String, String> headers,
        String body,
        String tenant) {

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
