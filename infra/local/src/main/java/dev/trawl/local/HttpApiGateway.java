package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.http.QueryString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The API Gateway HTTP API in front of the functions: routes from the template's {@code HttpApi} events, the
 * Lambda authorizer with simple responses, and payload format 2.0 events in and out. Paths under {@code /docs}
 * are the API reference for people ({@link DocsSite}), outside the API and its authorizer.
 */
final class HttpApiGateway {
    /** API Gateway's payload limit. */
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Bound(Template.Route route, FunctionHost function) {
    }

    private final List<Bound> routes = new ArrayList<>();
    private final FunctionHost authorizer;
    private final DocsSite docs;
    private final HttpServer server;

    HttpApiGateway(int port, Map<Template.Route, FunctionHost> routes, FunctionHost authorizer, DocsSite docs)
            throws IOException {
        routes.forEach((route, function) -> this.routes.add(new Bound(route, function)));
        this.authorizer = authorizer;
        this.docs = docs;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (DocsSite.covers(path)) {
                serveDocs(exchange, method, path);
                return;
            }
            String rawQuery = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            Match match = match(method, path);
            if (match == null) {
                send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            Map<String, String> headers = headers(exchange);
            Map<String, String> queryParameters = queryParameters(rawQuery);
            String requestId = UUID.randomUUID().toString();
            Instant now = Instant.now();
            String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
            String routeKey = match.bound.route().routeKey();

            Map<String, Object> authorizerContext = null;
            if (authorizer != null) {
                APIGatewayV2CustomAuthorizerEvent authEvent = APIGatewayV2CustomAuthorizerEvent.builder()
                        .withVersion("2.0").withType("REQUEST")
                        .withRouteArn("arn:aws:execute-api:" + EmbeddedStack.REGION + ":000000000000:local/$default/"
                                + method + rawPath)
                        .withIdentitySource(headers.containsKey("authorization") ? List.of(headers.get("authorization")) : null)
                        .withRouteKey(routeKey).withRawPath(rawPath).withRawQueryString(rawQuery)
                        .withHeaders(headers).withQueryStringParameters(queryParameters.isEmpty() ? null : queryParameters)
                        .withPathParameters(match.parameters.isEmpty() ? null : match.parameters)
                        .withRequestContext(APIGatewayV2CustomAuthorizerEvent.RequestContext.builder()
                                .withAccountId("000000000000").withApiId("local").withDomainName("127.0.0.1")
                                .withRequestId(requestId).withRouteKey(routeKey).withStage("$default")
                                .withTime(REQUEST_TIME.format(now)).withTimeEpoch(now.toEpochMilli())
                                .withHttp(APIGatewayV2CustomAuthorizerEvent.Http.builder().withMethod(method)
                                        .withPath(rawPath).withProtocol("HTTP/1.1").withSourceIp(sourceIp)
                                        .withUserAgent(headers.get("user-agent")).build())
                                .build())
                        .build();
                Object answer;
                try {
                    answer = authorizer.invoke(authEvent);
                } catch (FunctionHost.InvocationFailed e) {
                    send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                    return;
                }
                if (!(answer instanceof SimpleIAMPolicyResponse policy) || !policy.getIsAuthorized()) {
                    send(exchange, 403, Map.of("content-type", "application/json"), "{\"message\":\"Forbidden\"}");
                    return;
                }
                authorizerContext = policy.getContext() == null ? Map.of() : new HashMap<>(policy.getContext());
            }

            boolean text = isText(headers.get("content-type"));
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0").withRouteKey(routeKey).withRawPath(rawPath).withRawQueryString(rawQuery)
                    .withHeaders(headers).withQueryStringParameters(queryParameters.isEmpty() ? null : queryParameters)
                    .withPathParameters(match.parameters.isEmpty() ? null : match.parameters)
                    .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                            : Base64.getEncoder().encodeToString(body))
                    .withIsBase64Encoded(body.length > 0 && !text)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withAccountId("000000000000").withApiId("local").withDomainName("127.0.0.1")
                            .withDomainPrefix("127").withRequestId(requestId).withRouteKey(routeKey).withStage("$default")
                            .withTime(REQUEST_TIME.format(now)).withTimeEpoch(now.toEpochMilli())
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method)
                                    .withPath(rawPath).withProtocol("HTTP/1.1").withSourceIp(sourceIp)
                                    .withUserAgent(headers.get("user-agent")).build())
                            .withAuthorizer(authorizerContext == null ? null
                                    : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(authorizerContext).build())
                            .build())
                    .build();
            Object answer;
            try {
                answer = match.bound.function().invoke(event);
            } catch (FunctionHost.InvocationFailed e) {
                send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            if (!(answer instanceof APIGatewayV2HTTPResponse response)) {
                send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            String responseBody = response.getBody() == null ? "" : response.getBody();
            byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(responseBody)
                    : responseBody.getBytes(StandardCharsets.UTF_8);
            sendBytes(exchange, response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(), bytes);
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}");
        }
    }

    /** Read-only pages: any other method finds nothing, as an unrouted method does on the API. */
    private void serveDocs(HttpExchange exchange, String method, String path) throws IOException {
        Optional<DocsSite.Document> document = method.equals("GET") || method.equals("HEAD")
                ? docs.find(path) : Optional.empty();
        if (document.isEmpty()) {
            send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
            return;
        }
        sendBytes(exchange, 200, Map.of("content-type", document.get().contentType()), document.get().body());
    }

    private record Match(Bound bound, Map<String, String> parameters) {
    }

    /** API Gateway's choice: the most literal segments wins, a greedy path last, a named method over {@code ANY}. */
    private Match match(String method, String path) {
        Match best = null;
        int bestScore = -1;
        String[] segments = path.split("/", -1);
        for (Bound bound : routes) {
            Template.Route route = bound.route();
            if (!route.method().equals("ANY") && !route.method().equals(method)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int literal = matchPath(route.path().split("/", -1), segments, parameters);
            if (literal < 0) {
                continue;
            }
            boolean greedy = route.path().endsWith("+}");
            int score = (greedy ? 0 : 1_000_000) + literal * 10 + (route.method().equals("ANY") ? 0 : 1);
            if (score > bestScore) {
                bestScore = score;
                best = new Match(bound, parameters);
            }
        }
        return best;
    }

    /** The number of literal segments matched, or -1 when the path does not fit the template. */
    private static int matchPath(String[] template, String[] path, Map<String, String> parameters) {
        int literal = 0;
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= path.length || path[i].isEmpty()) {
                    return -1;
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", List.of(path).subList(i, path.length)));
                return literal;
            }
            if (i >= path.length) {
                return -1;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return -1;
                }
                parameters.put(part.substring(1, part.length() - 1), path[i]);
            } else if (part.equals(path[i])) {
                literal++;
            } else {
                return -1;
            }
        }
        return template.length == path.length ? literal : -1;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        // API Gateway tells the function how the client came in; here it is plain HTTP.
        headers.put("x-forwarded-proto", "http");
        return headers;
    }

    /** Repeated parameters joined with commas, as API Gateway does; a malformed string is left to the function. */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            QueryString.parse(rawQuery).forEach((name, values) -> parameters.put(name, String.join(",", values)));
        } catch (IllegalArgumentException e) {
            parameters.clear();
        }
        return parameters;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded") || type.contains("ndjson");
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        sendBytes(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
