package dev.trawl.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.Config;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.http.ApiRequest;
import dev.trawl.core.http.ApiResponse;
import dev.trawl.core.http.Cursors;
import dev.trawl.core.http.HttpApi;
import dev.trawl.core.http.QueryString;
import dev.trawl.core.output.DownloadLinks;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTTP API function (payload format 2.0): event → {@link ApiRequest} → {@link HttpApi} → response. */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpApi api;

    public ApiHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private ApiHandler(AwsPorts ports) {
        this(HttpApi.over(ports.jobs(), ports.ledger(), ports.idempotencyKeys(), ports.deliveries(), ports.uploads(),
                ports.blobs(), ports.queue(), ports.external(), Config.require(ports.secrets(), "KMS_KEY_ID"),
                new HttpApi.Settings(ports.config().bucket(),
                        ports.config().serviceAccountId(),
                        new Cursors(Config.require(ports.config().cursorSigningKey(), "CURSOR_SIGNING_KEY")),
                        new DownloadLinks(Config.require(ports.config().linkSigningKey(), "LINK_SIGNING_KEY")),
                        Clock.systemUTC()),
                new HttpApi.Limits(ports.tenantSettings(), ports.requestBuckets()),
                new HttpApi.Purging(ports.removal(), ports.purges())));
    }

    public ApiHandler(HttpApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response;
        try {
            response = api.handle(toRequest(event));
        } catch (InvalidInput e) {
            response = ApiResponse.error(e);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        boolean bodyNotUtf8 = false;
        if (body != null && event.getIsBase64Encoded()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput(null, "The request body could not be decoded.");
            }
            body = strictUtf8(bytes);
            bodyNotUtf8 = body == null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String tenant = null;
        var context = event.getRequestContext();
        if (context != null && context.getAuthorizer() != null && context.getAuthorizer().getLambda() != null) {
            Object value = context.getAuthorizer().getLambda().get("tenant");
            tenant = value instanceof String s && !s.isEmpty() ? s : null;
        }
        return new ApiRequest(event.getRouteKey(), event.getPathParameters(), parseQuery(event.getRawQueryString()),
                headers, body, tenant, bodyNotUtf8);
    }

    /**
     * The bytes as UTF-8 text, or null when they are not valid UTF-8 (the route that reads the body refuses it then):
     * {@code new String(bytes, UTF_8)} would put replacement characters where the client's bytes were.
     */
    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** From the raw query string, because API Gateway joins repeated parameters with commas in its map. */
    static Map<String, List<String>> parseQuery(String raw) {
        try {
            return QueryString.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(null, "The query string is malformed.");
        }
    }
}
