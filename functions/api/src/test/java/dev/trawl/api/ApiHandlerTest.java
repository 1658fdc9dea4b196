package dev.trawl.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.trawl.core.http.ApiRequest;
import dev.trawl.core.http.HttpApi;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApiHandlerTest {

    private static APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event(Map<String, Object> authorizer) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("GET /v1/jobs").withRawPath("/v1/jobs")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAuthorizer(authorizer == null ? null
                                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(authorizer).build())
                        .build());
    }

    @Test
    void repeatedQueryParametersKeepEveryValueFromTheRawQueryString() {
        ApiRequest request = ApiHandler.toRequest(event(Map.of("tenant", "acme"))
                .withRawQueryString("status=queued&status=running%2Cfailed&limit=5&flag").build());
        assertEquals(List.of("queued", "running,failed"), request.query().get("status"));
        assertEquals(List.of("5"), request.query().get("limit"));
        assertEquals(List.of(""), request.query().get("flag"));
        assertEquals("acme", request.tenant());
    }

    @Test
    void base64BodiesAreDecodedAndHeaderNamesLowerCased() {
        String json = "{\"name\":\"ü\"}";
        ApiRequest request = ApiHandler.toRequest(event(Map.of("tenant", "acme"))
                .withHeaders(Map.of("Content-Type", "application/json", "Idempotency-Key", "k1"))
                .withBody(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(true).build());
        assertEquals(json, request.body());
        assertEquals("k1", request.header("idempotency-key"));
    }

    @Test
    void anEmptyOrMissingTenantMeansNoTenant() {
        assertNull(ApiHandler.toRequest(event(Map.of("tenant", "")).build()).tenant());
        assertNull(ApiHandler.toRequest(event(null).build()).tenant());
    }

    @Test
    void theResponseIsMappedAsIsAndABrokenQueryIsA400() {
        // No ports are reached: the key check and the query parsing come first.
        ApiHandler handler = new ApiHandler(HttpApi.over(null, null, null, null, null, null, null, null, null, null, null, null));
        APIGatewayV2HTTPResponse unauthorized = handler.handleRequest(event(null).build(), null);
        assertEquals(401, unauthorized.getStatusCode());
        assertEquals("application/json", unauthorized.getHeaders().get("content-type"));
        APIGatewayV2HTTPResponse broken = handler.handleRequest(event(Map.of("tenant", "acme"))
                .withRawQueryString("limit=%zz").build(), null);
        assertEquals(400, broken.getStatusCode());
    }
}
