package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.limits.KeyAuthorizerHandler;
import dev.trawl.local.limits.LimitsHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AWS's limits on the local stack, on a stack of its own ({@code src/test/resources/limits/template.yaml}): API
 * Gateway's 10 MB request and its integration time-out, Lambda's 6 MB event and answer and each function's time-out,
 * the authorizer's identity sources and cache, payload format 2.0's base64 rule, SQS's message size.
 */
class LimitsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static LocalRuntime runtime;

    static Path template() throws Exception {
        return Path.of(LimitsTest.class.getResource("/limits/template.yaml").toURI());
    }

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(new LocalRuntime.Options(template(), 0, Map.of(), Set.of(), Map.of(), false));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static HttpResponse<String> send(String key, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(runtime.apiUrl().resolve(path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            request.header("X-Key", key);
        }
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        request.method(body == null ? "GET" : "POST",
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("limits", path, null, null);
    }

    private static void assertContractError(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        JsonNode error = Json.read(answer.body(), JsonNode.class).get("error");
        assertEquals(code, error.get("code").asText(), answer.body());
        assertTrue(error.get("message").isTextual());
    }

    @Test
    void aRequestOverApiGatewaysTenMegabytesIs413InTheContractsForm() throws Exception {
        byte[] body = new byte[HttpApiGateway.MAX_REQUEST_BYTES + 1];
        assertContractError(send("limits", "/echo", "text/plain", body), 413, "payload_too_large");
    }

    @Test
    void aRequestWhoseEventPassesLambdasSixMegabytesIs413AndReachesNoFunction() throws Exception {
        // 6.5 MB of text: under API Gateway's 10 MB, over Lambda's 6,291,456 bytes as an event.
        assertContractError(send("limits", "/echo", "text/plain", "a".repeat(6_500_000).getBytes(StandardCharsets.UTF_8)),
                413, "payload_too_large");
        // 4.8 MB of bytes become 6.4 MB of base64 in the event: the whole event counts, not the body sent.
        assertContractError(send("limits", "/echo", "application/octet-stream", new byte[4_800_000]), 413,
                "payload_too_large");
        HttpResponse<String> fits = send("limits", "/echo", "text/plain", "a".repeat(6_000_000).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, fits.statusCode());
    }

    @Test
    void anAnswerOverLambdasLimitIsApiGatewaysInternalServerError() throws Exception {
        HttpResponse<String> fits = get("/big?bytes=6000000");
        assertEquals(200, fits.statusCode());
        assertEquals(6_000_000, fits.body().length());
        HttpResponse<String> tooLarge = get("/big?bytes=6300000");
        assertEquals(500, tooLarge.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", tooLarge.body());
    }

    @Test
    void aFunctionPastTheIntegrationTimeOutIs503WhileItsInvocationGoesOn() throws Exception {
        String token = UUID.randomUUID().toString();
        long started = System.nanoTime();
        HttpResponse<String> answer = get("/sleep?ms=2000&token=" + token);
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, answer.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", answer.body());
        assertTrue(waitedMillis >= 1000 && waitedMillis < 1900, "answered after " + waitedMillis + " ms");
        assertFalse(LimitsHandler.FINISHED.contains(token));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!LimitsHandler.FINISHED.contains(token) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(LimitsHandler.FINISHED.contains(token), "the invocation was cut off with the client's answer");
    }

    @Test
    void aFunctionPastItsOwnTimeOutIsCutThereAndApiGatewayAnswers500() throws Exception {
        String token = UUID.randomUUID().toString();
        long started = System.nanoTime();
        HttpResponse<String> answer = get("/sleep-long?ms=10000&token=" + token);
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(500, answer.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", answer.body());
        // SlowFunction's Timeout is !Ref SlowTimeout, 3 s by default.
        assertTrue(waitedMillis >= 3000 && waitedMillis < 6000, "answered after " + waitedMillis + " ms");
        Thread.sleep(200);
        assertFalse(LimitsHandler.FINISHED.contains(token));
    }

    @Test
    void aDirectInvocationIsCutAtTheFunctionsTimeOut() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawPath("/sleep")
                .withQueryStringParameters(Map.of("ms", "10000", "token", "direct")).build();
        long started = System.nanoTime();
        Exception cut = assertThrows(FunctionHost.InvocationFailed.class, () -> runtime.invoke("SlowFunction", event));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(cut.getMessage().contains("timed out after 3 s"), cut.getMessage());
        assertTrue(waitedMillis >= 3000 && waitedMillis < 4000, "cut after " + waitedMillis + " ms");
    }

    @Test
    void anUnroutedRequestIs404InTheContractsForm() throws Exception {
        assertContractError(get("/nowhere"), 404, "not_found");
        assertContractError(send("limits", "/big", null, "x".getBytes(StandardCharsets.UTF_8)), 404, "not_found");
    }

    @Test
    void aQueryStringThatDoesNotDecodeReachesTheFunctionAsSent() throws Exception {
        RawHttp.Answer answer = RawHttp.get(runtime.apiUrl(), "/echo?cursor=%%%&a={b}", Map.of("X-Key", "limits"));
        assertEquals(200, answer.status(), answer.body());
        JsonNode echo = Json.read(answer.body(), JsonNode.class);
        assertEquals("cursor=%%%&a={b}", echo.get("rawQueryString").asText());
        assertFalse(echo.get("hasQueryParameters").asBoolean());
    }

    @Test
    void onlyTextTypesInValidUtf8ReachTheFunctionAsText() throws Exception {
        byte[] json = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode text = Json.read(send("limits", "/echo", "application/json; charset=utf-8", json).body(), JsonNode.class);
        assertFalse(text.get("isBase64Encoded").asBoolean());
        assertEquals("{\"name\":\"caf\u00e9\"}", text.get("body").asText());

        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        for (String contentType : new String[]{"application/json", "text/plain", "application/octet-stream",
                "application/x-www-form-urlencoded", "application/x-ndjson"}) {
            byte[] body = contentType.contains("json") || contentType.startsWith("text/") ? latin1 : json;
            JsonNode echo = Json.read(send("limits", "/echo", contentType, body).body(), JsonNode.class);
            assertTrue(echo.get("isBase64Encoded").asBoolean(), contentType);
            assertArrayEquals(body, Base64.getDecoder().decode(echo.get("body").asText()), contentType);
        }
        JsonNode untyped = Json.read(send("limits", "/echo", null, json).body(), JsonNode.class);
        assertTrue(untyped.get("isBase64Encoded").asBoolean(), "a body without a content type is not text");
    }

    @Test
    void theAuthorizersIdentitySourceIsRequiredAndItsDecisionCached() throws Exception {
        assertContractError(send(null, "/echo", null, null), 401, "unauthorized");
        assertContractError(send("", "/echo", null, null), 401, "unauthorized");
        assertContractError(send("deny", "/echo", null, null), 403, "unauthorized");

        String key = "cached-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = send(key, "/echo", null, null);
            assertEquals(200, answer.statusCode());
            assertEquals(key, Json.read(answer.body(), JsonNode.class).get("key").asText());
        }
        assertEquals(1, KeyAuthorizerHandler.CALLS.get(key).get(), "ReauthorizeEvery: 60 keeps the first decision");
    }

    @Test
    void eachFunctionSeesItsMemorySizeFromTheTemplate() throws Exception {
        assertEquals(256, Json.read(get("/echo").body(), JsonNode.class).get("memoryMb").asInt(), "Globals.MemorySize");
    }

    @Test
    void eachQueueTakesMessagesUpToItsMaximumMessageSize() {
        SqsClient sqs = runtime.clients().sqs();
        String plain = runtime.resource("PlainQueue");
        sqs.sendMessage(b -> b.queueUrl(plain).messageBody("a".repeat(SqsMessageLimit.SQS_MAXIMUM)));
        assertThrows(SqsException.class,
                () -> sqs.sendMessage(b -> b.queueUrl(plain).messageBody("a".repeat(SqsMessageLimit.SQS_MAXIMUM + 1))));
        String small = runtime.resource("SmallQueue");
        sqs.sendMessage(b -> b.queueUrl(small).messageBody("a".repeat(1024)));
        SqsException overQueueMaximum = assertThrows(SqsException.class,
                () -> sqs.sendMessage(b -> b.queueUrl(small).messageBody("a".repeat(1025))));
        assertEquals("InvalidParameterValue", overQueueMaximum.awsErrorDetails().errorCode());
    }

    @Test
    void theTemplatesTimeOutsAndMemoryComeFromGlobalsAndParameters() throws Exception {
        Template template = Template.read(template(), Map.of("SlowTimeout", "7", "SlowMemory", "2048"));
        assertEquals(5, template.functions().get("EchoFunction").timeoutSeconds(), "Globals.Timeout");
        assertEquals(256, template.functions().get("EchoFunction").memoryMb(), "Globals.MemorySize");
        assertEquals(7, template.functions().get("SlowFunction").timeoutSeconds(), "!Ref SlowTimeout, overridden");
        assertEquals(2048, template.functions().get("SlowFunction").memoryMb(), "!Ref SlowMemory, overridden");
        assertEquals(3, Template.read(template()).functions().get("SlowFunction").timeoutSeconds(), "its Default");
        Template.Route sleep = template.functions().get("SlowFunction").routes().stream()
                .filter(route -> route.path().equals("/sleep")).findFirst().orElseThrow();
        assertEquals(1000, sleep.timeoutMillis());
        Template.Route sleepLong = template.functions().get("SlowFunction").routes().stream()
                .filter(route -> route.path().equals("/sleep-long")).findFirst().orElseThrow();
        assertEquals(30_000, sleepLong.timeoutMillis(), "API Gateway's HTTP API default");
    }
}
