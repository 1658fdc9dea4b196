package dev.trawl.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.trawl.core.http.ApiRequest;
import dev.trawl.core.http.HttpApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
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
        ApiHandler handler = new ApiHandler(HttpApi.over(null, null, null, null, null, null, null, null, null,
                    new HttpApi.Settings(null, null, null, null, null)));
        APIGatewayV2HTTPResponse unauthorized = handler.handleRequest(event(null).build(), null);
        assertEquals(401, unauthorized.getStatusCode());
        assertEquals("application/json", unauthorized.getHeaders().get("content-type"));
        APIGatewayV2HTTPResponse broken = handler.handleRequest(event(Map.of("tenant", "acme"))
                .withRawQueryString("limit=%zz").build(), null);
        assertEquals(400, broken.getStatusCode());
    }

    // ---- bodies that are not UTF-8 ------------------------------------------------------------------------

    /** Bytes no UTF-8 decoder may accept: a stray byte, a lead byte without its tail, overlong, a surrogate, past U+10FFFF. */
    private static final List<String> NOT_UTF8 = List.of("ff", "80", "c328", "e282", "e28228", "c0af", "e080af", "eda080",
            "f4908080", "f8888080", "7b226e616d65223a22ff227d");

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** No ports are reached: every refusal below comes before a use case runs. */
    private static final ApiHandler HANDLER =
            new ApiHandler(HttpApi.over(null, null, null, null, null, null, null, null, null,
                    new HttpApi.Settings(null, null, null, null, null)));

    private static APIGatewayV2HTTPResponse send(String routeKey, String contentType, byte[] body, Map<String, Object> authorizer,
                                                 Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("content-type", contentType);
        return HANDLER.handleRequest(event(authorizer).withRouteKey(routeKey)
                .withPathParameters(routeKey.contains("{id}") ? Map.of("id", "job_01JV2ZK7B3C5D7E9F1G3H5J7KM") : null)
                .withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true).build(), null);
    }

    private static void assertNotUtf8Refusal(APIGatewayV2HTTPResponse response, String what) {
        assertEquals(400, response.getStatusCode(), what + ": " + response.getBody());
        assertEquals("{\"error\":{\"code\":\"invalid_request\",\"message\":\"The request body is not valid UTF-8.\"}}",
                response.getBody(), what);
    }

    @ParameterizedTest
    @FieldSource("NOT_UTF8")
    void bytesThatAreNotUtf8AreNoText(String bytes) {
        assertNull(ApiHandler.strictUtf8(hex(bytes)), bytes);
    }

    @Test
    void utf8OfEveryLengthIsText() {
        String text = "a\u00fc\u20ac\ud83d\ude00\ufeff\u0000";
        assertEquals(text, ApiHandler.strictUtf8(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals("", ApiHandler.strictUtf8(new byte[0]));
    }

    @Test
    void aBodyThatIsNotUtf8IsA400WhereverTheBodyIsRead() {
        Map<String, Object> acme = Map.of("tenant", "acme");
        for (String bytes : NOT_UTF8) {
            byte[] body = hex(bytes);
            assertNotUtf8Refusal(send("POST /v1/jobs", "application/json", body, acme, Map.of()), "a job " + bytes);
            assertNotUtf8Refusal(send("POST /v1/uploads", "application/json", body, acme, Map.of()), "a signed upload " + bytes);
            for (String type : List.of("text/plain", "application/x-ndjson", "text/csv; charset=utf-8")) {
                assertNotUtf8Refusal(send("POST /v1/uploads", type, body, acme, Map.of()), type + " " + bytes);
            }
            assertNotUtf8Refusal(send("POST /v1/jobs/{id}/retry", "application/json", body, acme,
                    Map.of("idempotency-key", "k1")), "the fingerprint of a retry " + bytes);
        }
    }

    @Test
    void aRouteThatReadsNoBodyAnswersAsEverWhateverItsBytes() {
        byte[] pdf = hex("255044462d312e370aff");
        APIGatewayV2HTTPResponse unsupported = send("POST /v1/uploads", "application/pdf", pdf, Map.of("tenant", "acme"), Map.of());
        assertEquals(415, unsupported.getStatusCode(), unsupported.getBody());
        APIGatewayV2HTTPResponse noKey = send("POST /v1/jobs", "application/json", pdf, null, Map.of());
        assertEquals(401, noKey.getStatusCode(), noKey.getBody());
    }
}
