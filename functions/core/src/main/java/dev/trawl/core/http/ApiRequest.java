package dev.trawl.core.http;

import dev.trawl.core.error.InvalidInput;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it, free of API Gateway types.
 *
 * @param routeKey    the matched route, e.g. {@code GET /v1/jobs/{id}}
 * @param headers     header names in lower case
 * @param query       every query parameter with all its values, in order
 * @param body        the body as text; null when there is none, or when its bytes were not valid UTF-8
 * @param tenant      the tenant the authorizer found for the request's key, or null when the key was not accepted
 * @param bodyNotUtf8 whether the body's bytes were not valid UTF-8: a route that reads the body then refuses the
 *                    request, and one that reads none (or refuses it for another reason first) answers as ever
 */
public record ApiRequest(
        String routeKey,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        Map<String, String> headers,
        String body,
        String tenant,
        boolean bodyNotUtf8) {
    public static final String NOT_UTF8 = "The request body is not valid UTF-8.";

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = bodyNotUtf8 ? null : body;
    }

    /** A request whose body, if any, was valid UTF-8. */
    public ApiRequest(String routeKey, Map<String, String> pathParameters, Map<String, List<String>> query,
                      Map<String, String> headers, String body, String tenant) {
        this(routeKey, pathParameters, query, headers, body, tenant, false);
    }

    /**
     * The body as text, or null without one.
     *
     * @throws InvalidInput when its bytes were not valid UTF-8: a body with replacement characters in place of the
     *                      client's bytes would be read as something the client never sent
     */
    @Override
    public String body() {
        if (bodyNotUtf8) {
            throw new InvalidInput(null, NOT_UTF8);
        }
        return body;
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
