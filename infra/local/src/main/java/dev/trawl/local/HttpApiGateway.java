package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.trawl.core.http.QueryString;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The API Gateway HTTP API in front of the functions: routes from the template's {@code HttpApi} events, the
 * Lambda authorizer with simple responses, and payload format 2.0 events in and out, within API Gateway's and
 * Lambda's limits (a 10 MB request, a 6 MB event and answer, the route's integration time-out). Paths under
 * {@code /docs} are the API reference for people ({@link DocsSite}), outside the API and its authorizer.
 */
final class HttpApiGateway {
    /** API Gateway's HTTP API payload quota, 10 MB: "HTTP content length exceeded 10485760 bytes". */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Bound(Template.Route route, FunctionHost function) {
    }

    private record Match(Bound bound, Map<String, String> parameters) {
    }

    /** One request on its way through the gateway, with what both events are built from. */
    private record Call(GatewayServer.Request request, Match match, Map<String, String> query, String requestId,
                        Instant time) {
        String routeKey() {
            return match.bound().route().routeKey();
        }
    }

    private final List<Bound> routes = new ArrayList<>();
    private final LambdaAuthorizer authorizer;
    private final DocsSite docs;
    private final GatewayServer server;

    /** @param authorizer the API's default authorizer, or null for none */
    HttpApiGateway(int port, Map<Template.Route, FunctionHost> routes, LambdaAuthorizer authorizer, DocsSite docs) {
        routes.forEach((route, function) -> this.routes.add(new Bound(route, function)));
        this.authorizer = authorizer;
        this.docs = docs;
        this.server = new GatewayServer(port, this::answer);
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.close();
    }

    private GatewayServer.Response answer(GatewayServer.Request request) throws IOException {
        String path = decodedPath(request.rawPath());
        if (DocsSite.covers(path)) {
            return serveDocs(request.method(), path);
        }
        if (request.contentLength() > MAX_REQUEST_BYTES) {
            return tooLarge();
        }
        byte[] body = request.body().readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            return tooLarge();
        }
        Match match = match(request.method(), path);
        if (match == null) {
            return GatewayAnswers.notFound(request.method(), request.rawPath());
        }
        Call call = new Call(request, match, queryParameters(request.rawQuery()), UUID.randomUUID().toString(),
                Instant.now());

        Map<String, Object> authorizerContext = null;
        if (authorizer != null) {
            switch (authorizer.authorize(request.headers(), call.query(), identity -> authorizerEvent(call, identity))) {
                case LambdaAuthorizer.Allowed allowed -> authorizerContext = allowed.context();
                case LambdaAuthorizer.Unidentified _ -> {
                    return GatewayAnswers.error(401, "unauthorized", "The request lacks the authorizer's identity sources.");
                }
                case LambdaAuthorizer.Denied _ -> {
                    return GatewayAnswers.error(403, "unauthorized", "The authorizer denied this request.");
                }
                case LambdaAuthorizer.Failed _ -> {
                    return GatewayAnswers.internalServerError();
                }
            }
        }

        APIGatewayV2HTTPEvent event = integrationEvent(call, LambdaBody.of(body, request.headers().get("content-type")),
                authorizerContext);
        if (LambdaPayload.jsonBytes(event) > LambdaPayload.MAX_EVENT_BYTES) {
            return GatewayAnswers.error(413, "payload_too_large", "The request, as the function's event, is larger than "
                    + "Lambda's " + LambdaPayload.MAX_EVENT_BYTES + " bytes.");
        }
        return integrate(match.bound(), event);
    }

    /**
     * Invokes the route's function and waits for it as long as the route's integration time-out: past that the
     * client gets API Gateway's {@code 503}, while the invocation goes on to its end or its own time-out.
     */
    private static GatewayServer.Response integrate(Bound bound, APIGatewayV2HTTPEvent event) {
        FunctionHost function = bound.function();
        CompletableFuture<Object> invocation = CompletableFuture.supplyAsync(() -> {
            try {
                return function.invoke(event);
            } catch (FunctionHost.InvocationFailed e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, task -> Thread.ofVirtual().name(function.name() + "-integration").start(task));
        Object answer;
        try {
            answer = invocation.get(bound.route().timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return GatewayAnswers.serviceUnavailable();
        } catch (ExecutionException e) {
            return GatewayAnswers.internalServerError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GatewayAnswers.internalServerError();
        }
        // Lambda fails an answer over its limit (Function.ResponseSizeTooLarge): a function error to API Gateway.
        if (!(answer instanceof APIGatewayV2HTTPResponse response)
                || LambdaPayload.jsonBytes(response) > LambdaPayload.MAX_ANSWER_BYTES) {
            return GatewayAnswers.internalServerError();
        }
        String responseBody = response.getBody() == null ? "" : response.getBody();
        byte[] bytes;
        try {
            bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(responseBody)
                    : responseBody.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return GatewayAnswers.internalServerError();
        }
        return new GatewayServer.Response(response.getStatusCode(),
                response.getHeaders() == null ? Map.of() : response.getHeaders(), bytes);
    }

    private static GatewayServer.Response tooLarge() {
        return GatewayAnswers.error(413, "payload_too_large",
                "The request is larger than API Gateway's " + MAX_REQUEST_BYTES + " bytes.");
    }

    private static APIGatewayV2CustomAuthorizerEvent authorizerEvent(Call call, List<String> identitySource) {
        GatewayServer.Request request = call.request();
        return APIGatewayV2CustomAuthorizerEvent.builder()
                .withVersion("2.0").withType("REQUEST")
                .withRouteArn("arn:aws:execute-api:" + EmbeddedStack.REGION + ":000000000000:local/$default/"
                        + request.method() + request.rawPath())
                .withIdentitySource(identitySource)
                .withRouteKey(call.routeKey()).withRawPath(request.rawPath()).withRawQueryString(request.rawQuery())
                .withHeaders(request.headers()).withQueryStringParameters(call.query().isEmpty() ? null : call.query())
                .withPathParameters(call.match().parameters().isEmpty() ? null : call.match().parameters())
                .withRequestContext(APIGatewayV2CustomAuthorizerEvent.RequestContext.builder()
                        .withAccountId("000000000000").withApiId("local").withDomainName("127.0.0.1")
                        .withRequestId(call.requestId()).withRouteKey(call.routeKey()).withStage("$default")
                        .withTime(REQUEST_TIME.format(call.time())).withTimeEpoch(call.time().toEpochMilli())
                        .withHttp(APIGatewayV2CustomAuthorizerEvent.Http.builder().withMethod(request.method())
                                .withPath(request.rawPath()).withProtocol("HTTP/1.1").withSourceIp(request.sourceIp())
                                .withUserAgent(request.headers().get("user-agent")).build())
                        .build())
                .build();
    }

    private static APIGatewayV2HTTPEvent integrationEvent(Call call, LambdaBody body, Map<String, Object> authorizerContext) {
        GatewayServer.Request request = call.request();
        // API Gateway tells the function how the client came in (links it hands out point back); here, plain HTTP.
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("x-forwarded-proto", "http");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(call.routeKey()).withRawPath(request.rawPath())
                .withRawQueryString(request.rawQuery())
                .withHeaders(headers).withQueryStringParameters(call.query().isEmpty() ? null : call.query())
                .withPathParameters(call.match().parameters().isEmpty() ? null : call.match().parameters())
                .withBody(body.body()).withIsBase64Encoded(body.base64Encoded())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000").withApiId("local").withDomainName("127.0.0.1")
                        .withDomainPrefix("127").withRequestId(call.requestId()).withRouteKey(call.routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(call.time())).withTimeEpoch(call.time().toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(request.method())
                                .withPath(request.rawPath()).withProtocol("HTTP/1.1").withSourceIp(request.sourceIp())
                                .withUserAgent(request.headers().get("user-agent")).build())
                        .withAuthorizer(authorizerContext == null ? null
                                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(authorizerContext).build())
                        .build())
                .build();
    }

    /** Read-only pages: any other method finds nothing, as an unrouted method does on the API. */
    private GatewayServer.Response serveDocs(String method, String path) {
        Optional<DocsSite.Document> document = method.equals("GET") || method.equals("HEAD")
                ? docs.find(path) : Optional.empty();
        if (document.isEmpty()) {
            return GatewayAnswers.notFound(method, path);
        }
        return new GatewayServer.Response(200, Map.of("content-type", document.get().contentType()), document.get().body());
    }

    /** The path routes are matched on; one that does not percent-decode is matched as sent. */
    private static String decodedPath(String rawPath) {
        try {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawPath;
        }
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

    /**
     * Repeated parameters joined with commas, as API Gateway does. A query string that does not percent-decode gives
     * no parameters; the event's {@code rawQueryString} still carries it as sent, for the function to refuse.
     */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            QueryString.parse(rawQuery).forEach((name, values) -> parameters.put(name, String.join(",", values)));
        } catch (IllegalArgumentException e) {
            parameters.clear();
        }
        return parameters;
    }
}
