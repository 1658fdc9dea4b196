package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.Refusal;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.FetchOptionsParser;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.submit.JobRequest;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateJobRequestTest {

    /** A valid minimal body with {@code extraTopLevelFields} (JSON members, comma-separated) added to its top level. */
    private static String body(String extraTopLevelFields) {
        String base = "{\"input\": {\"urls\": [\"https://example.com/a\"]}";
        return extraTopLevelFields.isEmpty() ? base + "}" : base + ", " + extraTopLevelFields + "}";
    }

    private static String withDefaults(String defaults) {
        return body("\"defaults\": " + defaults);
    }

    private static String withUrls(String urlsArray) {
        return "{\"input\": {\"urls\": " + urlsArray + "}}";
    }

    private static Refusal rejected(String body) {
        return assertThrows(Refusal.class, () -> CreateJobRequest.parse(body), body.length() > 300 ? "(long body)" : body);
    }

    private static void assertInvalid(String body, String field) {
        Refusal error = rejected(body);
        assertEquals(400, ApiResponse.statusOf(error), "status");
        assertEquals("invalid_request", error.code(), "code");
        assertEquals(field, error.field(), "field");
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    // ---- accepted bodies -------------------------------------------------------------------------------

    @Test
    void minimalBodyTakesEveryDefault() {
        JobRequest request = CreateJobRequest.parse("{\"input\": {\"urls\": [\"https://example.com/a\"]}}");

        assertNull(request.name());
        assertEquals(1, request.entries().size());
        assertEquals("https://example.com/a", request.entries().getFirst().textValue());
        assertEquals(FetchOptions.DEFAULTS, request.settings().defaults());
        assertEquals(30_000, request.settings().defaults().timeoutMs());
        assertEquals(2, request.settings().defaults().retries());
        assertEquals("GET", request.settings().defaults().method());
        assertTrue(request.settings().defaults().followRedirects());
        assertEquals(10L * 1024 * 1024, request.settings().defaults().maxBytes());
        assertEquals(8, request.settings().defaults().perHostConcurrency());
        assertEquals(JobSettings.DEFAULT_CONCURRENCY, request.settings().concurrency());
        assertEquals(16, request.settings().concurrency());
        assertEquals(OutputSpec.DEFAULT, request.settings().output());
        assertEquals(86_400, request.settings().downloadUrlTtlSeconds());
        assertFalse(request.settings().dryRun());
        assertNull(request.settings().maxErrors());
        assertNull(request.settings().regexFilter());
        assertEquals(0, request.settings().maxUrls());
        assertEquals(86_400, request.settings().maxLifetimeSeconds());
        assertEquals(JobSettings.DEFAULTS, request.settings());
    }

    @Test
    void fullBodyWithStringsObjectsMetaAndOverrides() throws Exception {
        String body = """
                {
                  "name": "nightly-catalog",
                  "input": {"urls": [
                    "https://example.com/a",
                    {"url": "https://example.com/b", "meta": {"sku": "B-1", "tags": ["x", 1, null]}},
                    {"url": "https://example.com/c", "timeout_ms": 5000, "retries": 0, "method": "HEAD",
                     "headers": {"X-Per-Url": "1"}, "follow_redirects": false, "max_bytes": 1024,
                     "per_host_concurrency": 2, "meta": {}}
                  ]},
                  "defaults": {"timeout_ms": 1000, "retries": 5, "headers": {"Accept-Language": "en", "X-Tab": "a\\tb"},
                               "method": "GET", "follow_redirects": true, "max_bytes": 52428800, "per_host_concurrency": 64,
                               "respect_robots": false},
                  "concurrency": 256,
                  "output": {"format": "ndjson", "gzip": true},
                  "dry_run": false,
                  "download_url_ttl_s": 60
                }
                """;
        JobRequest request = CreateJobRequest.parse(body);

        assertEquals("nightly-catalog", request.name());
        assertEquals(256, request.settings().concurrency());
        assertEquals(new OutputSpec("ndjson", true), request.settings().output());
        assertEquals(60, request.settings().downloadUrlTtlSeconds());
        assertEquals(new FetchOptions(1000, 5, Map.of("Accept-Language", "en", "X-Tab", "a\tb"),
                "GET", true, 50L * 1024 * 1024, 64), request.settings().defaults());

        // Entries are kept exactly as given, overrides and meta included, in order.
        JsonNode given = Json.parse(body).get("input").get("urls");
        assertEquals(3, request.entries().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(given.get(i), request.entries().get(i), "entry " + i);
        }
        // The entry's overrides are valid on top of the defaults.
        FetchOptions third = FetchOptionsParser.apply(request.settings().defaults(), request.entries().get(2), "", java.util.Set.of("url", "meta"));
        assertEquals(new FetchOptions(5000, 0, Map.of("X-Per-Url", "1"), "HEAD", false, 1024, 2), third);
    }

    @Test
    void extractIsKeptInItsStoredFormAndReadBackAsTheSameFields() {
        JobRequest request = CreateJobRequest.parse("""
                {"input": {"urls": ["https://example.com/a"]},
                 "defaults": {"extract": {"name": "string", "price": "number", "title": {"css": "title"}}}}
                """);
        assertEquals(List.of("name", "price", "title"), request.settings().extraction().fieldNames());
        assertEquals(request.settings().extraction(), dev.trawl.core.extract.Extraction.fromJson(request.settings().extract()));
        assertNull(CreateJobRequest.parse("{\"input\": {\"urls\": [\"https://example.com/a\"]}, \"defaults\": {\"extract\": {}}}")
                .settings().extract(), "an empty extract is none");
    }

    @Test
    void respectRobotsIsTakenFromDefaultsAndEntries() {
        JobRequest request = CreateJobRequest.parse("""
                {"input": {"urls": ["https://example.com/a", {"url": "https://example.com/b", "respect_robots": false}]},
                 "defaults": {"respect_robots": true}}
                """);
        assertTrue(request.settings().defaults().respectRobots());
        assertFalse(FetchOptionsParser.apply(request.settings().defaults(), request.entries().get(1), "",
                java.util.Set.of("url", "meta")).respectRobots());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "ftp://x", "", "http://", "mailto:someone@example.com", "//example.com/x",
            "javascript:alert(1)", "http://[::1", "https://exa mple.com/"})
    void unusableUrlStringsAreAcceptedToBecomeInvalidUrlRows(String url) {
        ArrayNode urls = Json.MAPPER.createArrayNode().add(url);
        ObjectNode entryObject = Json.object().put("url", url);
        urls.add(entryObject);
        ObjectNode root = Json.object();
        root.putObject("input").set("urls", urls);

        JobRequest request = CreateJobRequest.parse(Json.write(root));

        assertEquals(2, request.entries().size());
        assertEquals(url, request.entries().get(0).textValue());
        assertEquals(url, request.entries().get(1).get("url").textValue());
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertEquals(1, CreateJobRequest.parse(body("\"concurrency\": 1")).settings().concurrency());
        assertEquals(256, CreateJobRequest.parse(body("\"concurrency\": 256")).settings().concurrency());
        assertEquals(1_000, CreateJobRequest.parse(withDefaults("{\"timeout_ms\": 1000}")).settings().defaults().timeoutMs());
        assertEquals(120_000, CreateJobRequest.parse(withDefaults("{\"timeout_ms\": 120000}")).settings().defaults().timeoutMs());
        assertEquals(0, CreateJobRequest.parse(withDefaults("{\"retries\": 0}")).settings().defaults().retries());
        assertEquals(5, CreateJobRequest.parse(withDefaults("{\"retries\": 5}")).settings().defaults().retries());
        assertEquals("HEAD", CreateJobRequest.parse(withDefaults("{\"method\": \"HEAD\"}")).settings().defaults().method());
        assertEquals(2_592_000, CreateJobRequest.parse(body("\"download_url_ttl_s\": 2592000")).settings().downloadUrlTtlSeconds());

        StringBuilder thousand = new StringBuilder("[");
        for (int i = 0; i < CreateJobRequest.MAX_INLINE_URLS; i++) {
            thousand.append(i == 0 ? "" : ",").append("\"https://example.com/").append(i).append('"');
        }
        assertEquals(1_000, CreateJobRequest.parse(withUrls(thousand + "]")).entries().size());

        ObjectNode fiftyHeaders = Json.object();
        for (int i = 0; i < 50; i++) {
            fiftyHeaders.put("X-H" + i, "v");
        }
        assertEquals(50, CreateJobRequest.parse(withDefaults(Json.write(Json.object().set("headers", fiftyHeaders))))
                .settings().defaults().headers().size());
    }

    @Test
    void metaOfExactly2KiBIsAccepted() {
        // {"p":"…"} is 8 bytes plus the string
        String meta = "{\"p\":\"" + repeat("m", 2048 - 8) + "\"}";
        assertEquals(2048, meta.length());
        JobRequest request = CreateJobRequest.parse(withUrls("[{\"url\": \"https://example.com\", \"meta\": " + meta + "}]"));
        assertEquals(2048 - 8, request.entries().getFirst().get("meta").get("p").textValue().length());
    }

    @Test
    void aNullMetaIsTheSameAsNoMeta() {
        JobRequest request = CreateJobRequest.parse(withUrls("[{\"url\": \"https://example.com\", \"meta\": null}]"));
        assertTrue(request.entries().getFirst().get("meta").isNull());
    }

    // ---- refused bodies --------------------------------------------------------------------------------

    @Test
    void malformedJsonIsA400WithoutField() {
        assertInvalid("{\"input\": {\"urls\": [\"https://example.com\"]", null);
        assertInvalid("{\"input\": }", null);
        assertInvalid("{\"input\": {\"urls\": [\"https://example.com\"]}} {}", null);
        assertInvalid("", null);
        assertInvalid("   ", null);
        assertInvalid("{'input': {'urls': ['https://example.com']}}", null);
    }

    /** Found by ApiFuzzTest: Jackson let a NumberFormatException out for these, which answered 500. */
    @ParameterizedTest
    @ValueSource(strings = {"-1e-2147483649", "{\"input\": {\"urls\": [-1e-2147483649]}}", "{\"concurrency\": 1e-2147483648}",
            "{\"max_urls\": 1e99999999999}", "{\"input\": {\"urls\": [{\"url\": \"https://example.com\", \"meta\": {\"n\": 0e-2147483648}}]}}"})
    void aNumberWithAnExponentPastIntIsA400WithoutField(String body) {
        assertInvalid(body, null);
    }

    @Test
    void nullBodyIsA400() {
        Refusal error = assertThrows(Refusal.class, () -> CreateJobRequest.parse(null));
        assertEquals(400, ApiResponse.statusOf(error));
        assertEquals("invalid_request", error.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"input\": {}}]", "\"text\"", "42", "null", "true"})
    void aBodyThatIsNotAnObjectIsA400(String body) {
        Refusal error = rejected(body);
        assertEquals(400, ApiResponse.statusOf(error));
        assertEquals("invalid_request", error.code());
        assertNull(error.field(), "the whole body is at fault, not a field");
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                // unknown fields, top level and nested
                Arguments.of(body("\"nmae\": \"x\""), "nmae"),
                Arguments.of(withDefaults("{\"timeout\": 5000}"), "defaults.timeout"),
                Arguments.of(withDefaults("{\"render\": true}"), "defaults.render"),
                Arguments.of(withDefaults("{\"proxy_type\": \"residential\"}"), "defaults.proxy_type"),
                Arguments.of(withDefaults("{\"extract\": {\"title\": \"text\"}}"), "defaults.extract.title"),
                Arguments.of(withDefaults("{\"extract\": [\"title\"]}"), "defaults.extract"),
                Arguments.of("{\"input\": {\"urls\": [{\"url\": \"https://example.com\", \"extract\": {}}]}}",
                        "input.urls[0].extract"),
                Arguments.of(withDefaults("{\"respect_robots\": \"yes\"}"), "defaults.respect_robots"),
                Arguments.of(withDefaults("[]"), "defaults"),
                Arguments.of(body("\"output\": {\"format\": \"ndjson\", \"zip\": true}"), "output.zip"),
                Arguments.of("{\"input\": {\"urls\": [\"https://example.com\"], \"files\": []}}", "input.files"),
                // not supported by this version: refused by name, never ignored
                Arguments.of(body("\"webhook\": \"ftp://hooks.example.com/x\""), "webhook"),
                Arguments.of(body("\"dry_run\": \"yes\""), "dry_run"),
                // input
                Arguments.of("{}", "input"),
                Arguments.of("{\"input\": \"https://example.com\"}", "input"),
                Arguments.of("{\"input\": {}}", "input"),
                Arguments.of("{\"input\": {\"urls\": \"https://example.com\"}}", "input.urls"),
                Arguments.of(withUrls("[]"), "input.urls"),
                Arguments.of(withUrls("[\"https://example.com/a\", 42]"), "input.urls[1]"),
                Arguments.of(withUrls("[\"https://example.com/a\", {\"meta\": {}}]"), "input.urls[1]"),
                Arguments.of(withUrls("[\"https://example.com/a\", null]"), "input.urls[1]"),
                Arguments.of(withUrls("[\"https://example.com/a\", [\"https://example.com/b\"]]"), "input.urls[1]"),
                Arguments.of(withUrls("[\"https://example.com/a\", true]"), "input.urls[1]"),
                Arguments.of(withUrls("[{\"url\": 7}]"), "input.urls[0].url"),
                Arguments.of(withUrls("[{\"url\": \"https://example.com\", \"meta\": \"sku\"}]"), "input.urls[0].meta"),
                Arguments.of(withUrls("[{\"url\": \"https://example.com\", \"meta\": {\"p\": \"" + repeat("m", 2048) + "\"}}]"),
                        "input.urls[0].meta"),
                Arguments.of(withUrls("[\"https://example.com/a\", {\"url\": \"https://example.com\", \"timeout_ms\": 999}]"),
                        "input.urls[1].timeout_ms"),
                Arguments.of(withUrls("[{\"url\": \"https://example.com\", \"sku\": \"B-1\"}]"), "input.urls[0].sku"),
                Arguments.of(withUrls("[{\"url\": \"https://example.com\", \"render\": true}]"), "input.urls[0].render"),
                Arguments.of(withUrls("[{\"url\": \"https://example.com\", \"headers\": {\"Host\": \"x\"}}]"),
                        "input.urls[0].headers.Host"),
                Arguments.of("{\"input\": {\"urls\": [\"https://example.com\"], \"upload_id\": \"upl_01\"}}", "input"),
                Arguments.of("{\"input\": {\"urls\": [\"https://example.com\"], \"s3_uri\": \"s3://b/k\"}}", "input"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://bucket/\"}}", "input.s3_uri"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://Bucket/urls.txt\"}}", "input.s3_uri"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://bucket/a//b.txt\"}}", "input.s3_uri"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://bucket/a/../b.txt\"}}", "input.s3_uri"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://bucket/./b.txt\"}}", "input.s3_uri"),
                Arguments.of("{\"input\": {\"s3_uri\": \"s3://bucket/k\", \"role_arn\": \"arn:aws:iam::1:role/x\"}}", "input.role_arn"),
                Arguments.of("{\"input\": {\"role_arn\": \"arn:aws:iam::123456789012:role/x\"}}", "input"),
                // concurrency
                Arguments.of(body("\"concurrency\": 0"), "concurrency"),
                Arguments.of(body("\"concurrency\": 257"), "concurrency"),
                Arguments.of(body("\"concurrency\": -1"), "concurrency"),
                Arguments.of(body("\"concurrency\": \"16\""), "concurrency"),
                Arguments.of(body("\"concurrency\": 1.5"), "concurrency"),
                Arguments.of(body("\"concurrency\": null"), "concurrency"),
                Arguments.of(body("\"concurrency\": 1e30"), "concurrency"),
                // defaults
                Arguments.of(withDefaults("{\"timeout_ms\": 999}"), "defaults.timeout_ms"),
                Arguments.of(withDefaults("{\"timeout_ms\": 120001}"), "defaults.timeout_ms"),
                Arguments.of(withDefaults("{\"timeout_ms\": \"30000\"}"), "defaults.timeout_ms"),
                Arguments.of(withDefaults("{\"retries\": 6}"), "defaults.retries"),
                Arguments.of(withDefaults("{\"retries\": -1}"), "defaults.retries"),
                Arguments.of(withDefaults("{\"method\": \"POST\"}"), "defaults.method"),
                Arguments.of(withDefaults("{\"method\": \"get\"}"), "defaults.method"),
                Arguments.of(withDefaults("{\"follow_redirects\": \"yes\"}"), "defaults.follow_redirects"),
                Arguments.of(withDefaults("{\"max_bytes\": 0}"), "defaults.max_bytes"),
                Arguments.of(withDefaults("{\"max_bytes\": 52428801}"), "defaults.max_bytes"),
                Arguments.of(withDefaults("{\"per_host_concurrency\": 0}"), "defaults.per_host_concurrency"),
                Arguments.of(withDefaults("{\"per_host_concurrency\": 65}"), "defaults.per_host_concurrency"),
                // headers
                Arguments.of(withDefaults("{\"headers\": {\"Host\": \"internal.example\"}}"), "defaults.headers.Host"),
                Arguments.of(withDefaults("{\"headers\": {\"host\": \"internal.example\"}}"), "defaults.headers.host"),
                Arguments.of(withDefaults("{\"headers\": {\"Connection\": \"close\"}}"), "defaults.headers.Connection"),
                Arguments.of(withDefaults("{\"headers\": {\"Transfer-Encoding\": \"chunked\"}}"), "defaults.headers.Transfer-Encoding"),
                Arguments.of(withDefaults("{\"headers\": {\"Upgrade\": \"h2c\"}}"), "defaults.headers.Upgrade"),
                Arguments.of(withDefaults("{\"headers\": {\"Content-Length\": \"5\"}}"), "defaults.headers.Content-Length"),
                Arguments.of(withDefaults("{\"headers\": {\"X-A\": \"a\\r\\nHost: evil\"}}"), "defaults.headers.X-A"),
                Arguments.of(withDefaults("{\"headers\": {\"X-A\": \"a\\nb\"}}"), "defaults.headers.X-A"),
                Arguments.of(withDefaults("{\"headers\": {\"X-A\": \"a\\rb\"}}"), "defaults.headers.X-A"),
                Arguments.of(withDefaults("{\"headers\": {\"X-A\": 5}}"), "defaults.headers.X-A"),
                Arguments.of(withDefaults("{\"headers\": {\"Bad Name\": \"v\"}}"), "defaults.headers.Bad Name"),
                Arguments.of(withDefaults("{\"headers\": {\"X-Big\": \"" + repeat("v", 8 * 1024) + "\"}}"), "defaults.headers"),
                Arguments.of(withDefaults("{\"headers\": [\"X-A: b\"]}"), "defaults.headers"),
                // output
                Arguments.of(body("\"output\": {\"format\": \"parquet\", \"gzip\": true}"), "output.gzip"),
                Arguments.of(body("\"output\": {\"format\": \"xml\"}"), "output.format"),
                Arguments.of(body("\"output\": {\"gzip\": \"true\"}"), "output.gzip"),
                Arguments.of(body("\"output\": \"ndjson\""), "output"),
                // others
                Arguments.of(body("\"name\": 5"), "name"),
                Arguments.of(body("\"name\": \"" + repeat("n", 257) + "\""), "name"),
                Arguments.of(body("\"download_url_ttl_s\": 59"), "download_url_ttl_s"),
                Arguments.of(body("\"download_url_ttl_s\": 2592001"), "download_url_ttl_s"));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidBodyIsA400NamingTheField(String body, String field) {
        assertInvalid(body, field);
    }

    @Test
    void anS3UriIsTakenWithAnOptionalRole() {
        JobRequest plain = CreateJobRequest.parse("{\"input\": {\"s3_uri\": \"s3://acme-exports/catalog/today.csv.gz\"}}");
        assertEquals(new JobRequest.S3Location("acme-exports", "catalog/today.csv.gz"), plain.s3());
        assertNull(plain.roleArn());
        JobRequest withRole = CreateJobRequest.parse("{\"input\": {\"s3_uri\": \"s3://acme-exports/a.txt\", "
                + "\"role_arn\": \"arn:aws:iam::123456789012:role/trawl-reader\"}}");
        assertEquals("arn:aws:iam::123456789012:role/trawl-reader", withRole.roleArn());
    }

    @Test
    void anUploadIdIsTakenAndAMalformedOneNamesNoUpload() {
        JobRequest request = CreateJobRequest.parse("{\"input\": {\"upload_id\": \"upl_01JD3F2D1A77B0E1XYZ0000000\"}}");
        assertEquals("upl_01JD3F2D1A77B0E1XYZ0000000", request.uploadId());
        assertTrue(request.entries().isEmpty());
        Refusal error = rejected("{\"input\": {\"upload_id\": \"upl_01\"}}");
        assertEquals(404, ApiResponse.statusOf(error));
        assertEquals("not_found", error.code());
        assertEquals("input.upload_id", error.field());
    }

    @Test
    void moreThan1000UrlsIsA400() {
        StringBuilder urls = new StringBuilder("[");
        for (int i = 0; i < 1_001; i++) {
            urls.append(i == 0 ? "" : ",").append("\"https://example.com/").append(i).append('"');
        }
        assertInvalid(withUrls(urls + "]"), "input.urls");
    }

    @Test
    void moreThan50HeadersIsA400() {
        ObjectNode headers = Json.object();
        for (int i = 0; i < 51; i++) {
            headers.put("X-H" + i, "v");
        }
        assertInvalid(withDefaults(Json.write(Json.object().set("headers", headers))), "defaults.headers");
    }

    /**
     * Every header the parser lets through must be one the fetcher's HTTP client can send: the JDK client
     * refuses {@code Expect} and values with control characters or characters above U+00FF by throwing,
     * which would fail the whole chunk instead of answering the client's mistake with a 400; and it sends
     * other non-ASCII characters as {@code ?}, silently changing the value.
     */
    @Test
    void headersTheHttpClientCannotSendAreA400() {
        assertInvalid(withDefaults("{\"headers\": {\"Expect\": \"100-continue\"}}"), "defaults.headers.Expect");
        assertInvalid(withDefaults("{\"headers\": {\"X-A\": \"price \\u20ac\"}}"), "defaults.headers.X-A");
        assertInvalid(withDefaults("{\"headers\": {\"X-A\": \"a\\u0001b\"}}"), "defaults.headers.X-A");
        assertInvalid(withDefaults("{\"headers\": {\"X-A\": \"a\\u007fb\"}}"), "defaults.headers.X-A");
        assertInvalid(withDefaults("{\"headers\": {\"X-A\": \"a\\u0000b\"}}"), "defaults.headers.X-A");
        assertInvalid(withDefaults("{\"headers\": {\"X-A\": \"café\"}}"), "defaults.headers.X-A");
        assertInvalid(withDefaults("{\"headers\": {\"expect\": \"100-continue\"}}"), "defaults.headers.expect");
        assertInvalid(withUrls("[{\"url\": \"https://example.com\", \"headers\": {\"X-A\": \"\\u00e9\"}}]"),
                "input.urls[0].headers.X-A");
        // printable ASCII and tabs pass
        assertEquals(Map.of("X-A", "a\tb ~!\"#"), CreateJobRequest.parse(
                withDefaults("{\"headers\": {\"X-A\": \"a\\tb ~!\\\"#\"}}")).settings().defaults().headers());
    }

    @Test
    void bodyOver6MiBIsA413() {
        String filler = repeat("x", CreateJobRequest.MAX_BODY_BYTES);
        Refusal error = rejected(body("\"name\": \"" + filler + "\""));
        assertEquals(413, ApiResponse.statusOf(error));
        assertEquals("payload_too_large", error.code());
    }

    @Test
    void bodySizeCountsUtf8Bytes() {
        // 3 MiB characters of 3 bytes each: 9 MiB on the wire
        String filler = repeat("€", 3 * 1024 * 1024);
        Refusal error = rejected(body("\"name\": \"" + filler + "\""));
        assertEquals(413, ApiResponse.statusOf(error));
        assertEquals("payload_too_large", error.code());
    }

    @Test
    void aBodyJustUnder6MiBIsNotA413() {
        // Big, but within the limit: it fails on the name's length instead, as a 400.
        String filler = repeat("x", CreateJobRequest.MAX_BODY_BYTES - 100);
        Refusal error = rejected(body("\"name\": \"" + filler + "\""));
        assertEquals(400, ApiResponse.statusOf(error));
        assertEquals("name", error.field());
    }

    // ---- the job's lifecycle settings --------------------------------------------------------------------

    @Test
    void everyLifecycleSettingIsRead() {
        JobRequest request = CreateJobRequest.parse(body("\"max_errors\": \"12.5%\", \"regex_filter\": \"^https://example\\\\.com/\", "
                + "\"max_urls\": 500, \"dry_run\": true, \"max_lifetime_s\": 3600, \"concurrency\": 100"));

        assertEquals(new JobSettings(100, OutputSpec.DEFAULT, FetchOptions.DEFAULTS, 86_400, true, MaxErrors.ofPercent(12.5),
                "^https://example\\.com/", 500, 3600), request.settings());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "1000, 1000", "1000000, 1000000", "5.0, 5"})
    void maxErrorsAsACount(String json, long count) {
        MaxErrors maxErrors = CreateJobRequest.parse(body("\"max_errors\": " + json)).settings().maxErrors();

        assertEquals(MaxErrors.ofCount(count), maxErrors);
        assertNull(maxErrors.percent());
        // a count does not depend on the job's size
        assertEquals(count, maxErrors.allowed(10));
        assertEquals(count, maxErrors.allowed(2_000_000));
        assertEquals(count, maxErrors.wire());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5%      | 5.0    | 1000 | 50   | 5%",
            "12.5%   | 12.5   | 10   | 1    | 12.5%",
            "12.5%   | 12.5   | 1000 | 125  | 12.5%",
            "0%      | 0.0    | 1000 | 0    | 0%",
            "100%    | 100.0  | 7    | 7    | 100%",
            "100.0%  | 100.0  | 7    | 7    | 100%",
            "0.0001% | 0.0001 | 1000000 | 1 | 0.0001%",
            "33.3333% | 33.3333 | 3  | 0    | 33.3333%",
            // exact decimal arithmetic: a binary double of 0.57 times 10,000 is just under 5,700
            "0.57%   | 0.57   | 10000  | 57   | 0.57%",
            "1.15%   | 1.15   | 100000 | 1150 | 1.15%",
            "0.29%   | 0.29   | 100000 | 290  | 0.29%"})
    void maxErrorsAsAPercentage(String text, double percent, long urls, long allowed, String wire) {
        MaxErrors maxErrors = CreateJobRequest.parse(body("\"max_errors\": \"" + text + "\"")).settings().maxErrors();

        assertEquals(MaxErrors.ofPercent(percent), maxErrors);
        assertEquals(allowed, maxErrors.allowed(urls), "errors allowed of " + urls + " URLs");
        assertEquals(wire, maxErrors.wire());
    }

    @Test
    void aPercentageMayHaveSpaceAroundItButNotInside() {
        assertEquals(MaxErrors.ofPercent(7), CreateJobRequest.parse(body("\"max_errors\": \" 7% \"")).settings().maxErrors());
        assertInvalid(body("\"max_errors\": \"7 %\""), "max_errors");
    }

    @Test
    void aNullMaxErrorsIsNoLimit() {
        assertNull(CreateJobRequest.parse(body("\"max_errors\": null")).settings().maxErrors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"-1\"", "\"101%\"", "\"100.0001%\"", "\"5 %\"", "\"abc\"", "\"5\"", "\"%\"", "\"-5%\"",
            "\".5%\"", "\"5.%\"", "\"1e1%\"", "\"5%%\"", "\"1000%\"", "\"\"", "1.5", "true", "-1", "1000001", "{}", "[5]",
            "\"5.12345%\""})
    void aBadMaxErrorsIsA400(String json) {
        assertInvalid(body("\"max_errors\": " + json), "max_errors");
    }

    @Test
    void regexFilterIsKeptAsGiven() {
        assertEquals("^https://example\\.com/(a|b)",
                CreateJobRequest.parse(body("\"regex_filter\": \"^https://example\\\\.com/(a|b)\"")).settings().regexFilter());
        String longest = "a".repeat(1000);
        assertEquals(longest, CreateJobRequest.parse(body("\"regex_filter\": \"" + longest + "\"")).settings().regexFilter());
        assertNull(CreateJobRequest.parse(body("\"regex_filter\": null")).settings().regexFilter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"([a-z\"", "\"*\"", "\"a{2,1}\"", "\"[z-a]\"", "\"\\\\\"", "5", "true", "[\"a\"]"})
    void aBadRegexFilterIsA400(String json) {
        assertInvalid(body("\"regex_filter\": " + json), "regex_filter");
    }

    @Test
    void aRegexFilterOver1000CharactersIsA400() {
        assertInvalid(body("\"regex_filter\": \"" + "a".repeat(1001) + "\""), "regex_filter");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1000, 1_000_000})
    void maxUrlsFrom0To1000000(long maxUrls) {
        assertEquals(maxUrls, CreateJobRequest.parse(body("\"max_urls\": " + maxUrls)).settings().maxUrls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1000001", "\"10\"", "1.5", "null", "true", "1e30"})
    void aBadMaxUrlsIsA400(String json) {
        assertInvalid(body("\"max_urls\": " + json), "max_urls");
    }

    @Test
    void dryRunIsABoolean() {
        assertTrue(CreateJobRequest.parse(body("\"dry_run\": true")).settings().dryRun());
        assertFalse(CreateJobRequest.parse(body("\"dry_run\": false")).settings().dryRun());
        assertInvalid(body("\"dry_run\": 1"), "dry_run");
        assertInvalid(body("\"dry_run\": \"true\""), "dry_run");
        assertInvalid(body("\"dry_run\": null"), "dry_run");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 60, 86_400})
    void maxLifetimeFrom1To86400(long seconds) {
        assertEquals(seconds, CreateJobRequest.parse(body("\"max_lifetime_s\": " + seconds)).settings().maxLifetimeSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "86401", "\"60\"", "60.5", "null"})
    void aBadMaxLifetimeIsA400(String json) {
        assertInvalid(body("\"max_lifetime_s\": " + json), "max_lifetime_s");
    }

    @Test
    void aWebhookGetsASecretOfItsOwn() {
        JobRequest one = CreateJobRequest.parse(body("\"webhook\": \"https://hooks.example.com/x?y=1\""));
        JobRequest two = CreateJobRequest.parse(body("\"webhook\": \"https://hooks.example.com/x?y=1\""));
        assertEquals("https://hooks.example.com/x?y=1", one.settings().webhook().url());
        assertTrue(one.settings().webhook().secret().matches("whsec_[A-Za-z0-9_-]{32}"), one.settings().webhook().secret());
        assertNotEquals(one.settings().webhook().secret(), two.settings().webhook().secret());
        assertFalse(one.settings().webhook().toString().contains("whsec_"), "the secret never reaches a log line");
        assertNull(CreateJobRequest.parse(body("\"webhook\": null")).settings().webhook(), "an explicit null asks for nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "42", "\"\"", "\"hooks.example.com/x\"", "\"ftp://hooks.example.com/\"",
            "\"https:///no-host\"", "\"https://user:pw@hooks.example.com/\"", "\"https://hooks.example.com/#frag\"",
            "\"https://hooks.example.com/ space\"", "\"https://hooks.example.com:99999/\"", "\"https://hooks.example.com:0/\""})
    void aBadWebhookIsA400(String json) {
        assertInvalid(body("\"webhook\": " + json), "webhook");
    }

    @Test
    void aWebhookLongerThan2048CharactersIsA400() {
        assertInvalid(body("\"webhook\": \"https://hooks.example.com/" + "a".repeat(2048) + "\""), "webhook");
    }
}
