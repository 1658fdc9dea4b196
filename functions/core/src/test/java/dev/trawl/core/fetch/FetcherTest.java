package dev.trawl.core.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.RowStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetcherTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final FetchOptions NO_RETRIES = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8);
    private static HttpClient client;

    private HttpServer server;
    private ExecutorService handlers;
    private String base;
    private Fetcher fetcher;
    /** Requests seen, by path. */
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<HttpExchangeRecord> seen = new CopyOnWriteArrayList<>();

    record HttpExchangeRecord(String method, String path, Headers headers) {
    }

    @BeforeAll
    static void startClient() {
        client = Fetcher.newHttpClient(ConnectTunnel.start(TargetPolicy.publicOnly(Set.of("127.0.0.1"))));
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        fetcher = new Fetcher(client, TargetPolicy.publicOnly(Set.of("127.0.0.1")), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hits.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
            seen.add(new HttpExchangeRecord(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders()));
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    private int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    private FetchOutcome fetch(String path, FetchOptions options) throws InterruptedException {
        return fetcher.fetch(URI.create(path.startsWith("http") ? path : base + path), options);
    }

    private static FetchOptions withRetries(int retries) {
        return new FetchOptions(10_000, retries, Map.of(), "GET", true, 1024 * 1024, 8);
    }

    @Test
    void okAnswerGivesBytesAndContentType() throws Exception {
        byte[] body = "<html><title>Blue mug</title></html>".getBytes(StandardCharsets.UTF_8);
        route("/ok", exchange -> respond(exchange, 200, "text/html; charset=utf-8", body));

        FetchOutcome outcome = fetch("/ok", NO_RETRIES);

        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(200, outcome.httpStatus());
        assertEquals(base + "/ok", outcome.finalUrl());
        assertEquals("text/html; charset=utf-8", outcome.contentType());
        assertEquals(body.length, outcome.bytes());
        assertEquals(1, outcome.attempts());
        assertEquals(NOW, outcome.fetchedAt());
        assertTrue(outcome.elapsedMs() >= 0);
        assertNull(outcome.errorCode());
        assertNull(outcome.errorMessage());
        assertEquals(1, hits("/ok"));
    }

    @Test
    void a204WithoutBodyIsOk() throws Exception {
        route("/empty", exchange -> exchange.sendResponseHeaders(204, -1));
        FetchOutcome outcome = fetch("/empty", NO_RETRIES);
        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(204, outcome.httpStatus());
        assertEquals(0, outcome.bytes());
    }

    @Test
    void notFoundIsAnHttpErrorAndNotRetried() throws Exception {
        route("/missing", exchange -> respond(exchange, 404, "no such page"));

        FetchOutcome outcome = fetch("/missing", withRetries(2));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("http_error", outcome.errorCode());
        assertEquals(404, outcome.httpStatus());
        assertEquals(1, outcome.attempts());
        assertEquals(1, hits("/missing"));
        assertEquals(base + "/missing", outcome.finalUrl());
    }

    @Test
    void serverErrorsAreRetriedUpToRetries() throws Exception {
        route("/broken", exchange -> respond(exchange, 500, "boom"));

        FetchOutcome outcome = fetch("/broken", withRetries(2));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("http_error", outcome.errorCode());
        assertEquals(500, outcome.httpStatus());
        assertEquals(3, outcome.attempts());
        assertEquals(3, hits("/broken"));
    }

    @Test
    void noRetryStartsThatCouldNotFinishBeforeTheInvocationsDeadline() throws Exception {
        route("/broken-late", exchange -> respond(exchange, 500, "boom"));
        // 10 s time-out per attempt against a deadline 3 s away: the first attempt runs, no retry fits after it.
        long deadline = System.nanoTime() + 3_000_000_000L;
        FetchOutcome outcome = fetcher.fetch(URI.create(base + "/broken-late"), withRetries(3), 0, deadline).outcome();
        assertEquals(1, outcome.attempts());
        assertEquals("http_error", outcome.errorCode(), "the URL keeps the outcome it had");
        assertEquals(1, hits("/broken-late"));

        FetchOutcome unhurried = fetcher.fetch(URI.create(base + "/broken-late"), withRetries(1), 0,
                System.nanoTime() + 60_000_000_000L).outcome();
        assertEquals(2, unhurried.attempts());
    }

    @Test
    void tooManyRequestsIsRetried() throws Exception {
        route("/busy", exchange -> respond(exchange, 429, "slow down"));
        FetchOutcome outcome = fetch("/busy", withRetries(1));
        assertEquals("http_error", outcome.errorCode());
        assertEquals(429, outcome.httpStatus());
        assertEquals(2, outcome.attempts());
        assertEquals(2, hits("/busy"));
    }

    @Test
    void aBodyThatDripsPastTimeoutMsIsATimeout() throws Exception {
        route("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException | IOException e) {
                // the fetcher hung up: that is the point
            }
        });

        FetchOutcome outcome = fetch("/drip", new FetchOptions(1_000, 0, Map.of(), "GET", true, 1024 * 1024, 8));

        assertEquals("timeout", outcome.errorCode(), "headers came at once, the body never finished within timeout_ms");
        assertEquals(1, outcome.attempts());
    }

    @Test
    void retryAfterInSecondsIsWaitedBeforeTheNextAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        route("/busy", exchange -> {
            if (calls.incrementAndGet() == 1) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 503, "busy");
            } else {
                respond(exchange, 200, "fine");
            }
        });

        FetchOutcome outcome = fetch("/busy", withRetries(1));

        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(2, outcome.attempts());
        // A lower bound only: the fetcher must have waited the second the server asked for.
        assertTrue(outcome.elapsedMs() >= 1_000, "waited " + outcome.elapsedMs() + " ms");
    }

    @Test
    void aRetryAfterBeyondTheCapIsCutToTheCap() throws Exception {
        Fetcher capped = new Fetcher(client, TargetPolicy.publicOnly(Set.of("127.0.0.1")), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMillis(300));
        route("/later", exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "3600");
            respond(exchange, 429, "slow down");
        });

        FetchOutcome outcome = capped.fetch(URI.create(base + "/later"), withRetries(1));

        assertEquals("http_error", outcome.errorCode());
        assertEquals(429, outcome.httpStatus());
        assertEquals(2, outcome.attempts(), "retried after the capped wait, not after an hour");
        assertEquals(2, hits("/later"));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Fetcher clocked = new Fetcher(client, TargetPolicy.publicOnly(Set.of()), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Duration.ofSeconds(120), clocked.retryAfter("120"));
        assertEquals(Duration.ofSeconds(90), clocked.retryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC))));
        assertEquals(Duration.ZERO, clocked.retryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(NOW.minusSeconds(90).atZone(ZoneOffset.UTC))));
        assertNull(clocked.retryAfter("soon"));
        assertNull(clocked.retryAfter(null));
    }

    @Test
    void aRetryThatSucceedsIsOk() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        route("/flaky", exchange -> {
            if (calls.incrementAndGet() == 1) {
                respond(exchange, 503, "later");
            } else {
                respond(exchange, 200, "fine");
            }
        });

        FetchOutcome outcome = fetch("/flaky", withRetries(2));

        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(200, outcome.httpStatus());
        assertEquals(2, outcome.attempts());
        assertEquals(4, outcome.bytes());
        assertNull(outcome.errorCode());
        assertEquals(2, hits("/flaky"));
    }

    @Test
    void aSlowAnswerIsATimeout() throws Exception {
        route("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            respond(exchange, 200, "late");
        });

        FetchOutcome outcome = fetch("/slow", new FetchOptions(1_000, 0, Map.of(), "GET", true, 1024, 8));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("timeout", outcome.errorCode());
        assertNull(outcome.httpStatus());
        assertEquals(1, outcome.attempts());
    }

    @Test
    void aBodyOverMaxBytesIsTooLarge() throws Exception {
        byte[] big = new byte[256 * 1024];
        route("/big", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0); // chunked: the size is not announced
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 4; i++) {
                    out.write(big);
                }
            } catch (IOException e) {
                // the client hung up once it had enough
            }
        });

        FetchOutcome outcome = fetch("/big", new FetchOptions(10_000, 2, Map.of(), "GET", true, 1000, 8));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("too_large", outcome.errorCode());
        assertEquals(1, outcome.attempts(), "too_large is not retried");
    }

    @Test
    void aBodyOfExactlyMaxBytesIsOk() throws Exception {
        route("/exact", exchange -> respond(exchange, 200, "application/octet-stream", new byte[1000]));
        FetchOutcome outcome = fetch("/exact", new FetchOptions(10_000, 0, Map.of(), "GET", true, 1000, 8));
        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(1000, outcome.bytes());
    }

    /** /hop/N answers a redirect to /hop/N-1 (relative), /hop/0 answers 200. */
    private void hops() {
        route("/hop/", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hop/".length()));
            if (n == 0) {
                respond(exchange, 200, "arrived");
            } else {
                redirect(exchange, n % 2 == 0 ? 302 : 301, "/hop/" + (n - 1));
            }
        });
    }

    @Test
    void threeRedirectsAreFollowed() throws Exception {
        hops();
        FetchOutcome outcome = fetch("/hop/3", NO_RETRIES);

        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(200, outcome.httpStatus());
        assertEquals(base + "/hop/0", outcome.finalUrl());
        assertEquals(7, outcome.bytes());
        for (int i = 0; i <= 3; i++) {
            assertEquals(1, hits("/hop/" + i), "hop " + i);
        }
    }

    @Test
    void fiveRedirectsAreTheMost() throws Exception {
        hops();
        FetchOutcome outcome = fetch("/hop/5", NO_RETRIES);
        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(base + "/hop/0", outcome.finalUrl());
    }

    @Test
    void sixRedirectsAreTooMany() throws Exception {
        hops();
        FetchOutcome outcome = fetch("/hop/6", withRetries(2));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("too_many_redirects", outcome.errorCode());
        assertEquals(1, outcome.attempts());
        assertEquals(0, hits("/hop/0"), "the seventh request is never sent");
    }

    @Test
    void aRedirectLoopEndsTooManyRedirectsAfterFiveHops() throws Exception {
        route("/loop/a", exchange -> redirect(exchange, 302, "/loop/b"));
        route("/loop/b", exchange -> redirect(exchange, 307, "/loop/a"));

        FetchOutcome outcome = fetch("/loop/a", withRetries(3));

        assertEquals("too_many_redirects", outcome.errorCode());
        assertEquals(1, outcome.attempts(), "a loop does not go away by trying again");
        assertEquals(6, hits("/loop/a") + hits("/loop/b"), "the first request and five hops, then it stops");
    }

    @Test
    void aRedirectToAPrivateAddressIsBlocked() throws Exception {
        route("/to-private", exchange -> redirect(exchange, 302, "http://10.0.0.1/"));

        FetchOutcome outcome = fetch("/to-private", withRetries(2));

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("blocked_target", outcome.errorCode());
        assertEquals("http://10.0.0.1/", outcome.finalUrl());
        assertEquals(1, outcome.attempts());
        assertEquals(1, hits("/to-private"));
    }

    /** The allow-list names 127.0.0.1; its other spellings are refused, whether URI finds a host in them or not. */
    @Test
    void aRedirectToAnOldSpellingOfANonPublicAddressIsBlocked() throws Exception {
        int port = server.getAddress().getPort();
        route("/ok", exchange -> respond(exchange, 200, "ok"));
        for (String target : List.of("http://127.1:" + port + "/ok", "http://0x7f000001:" + port + "/ok",
                "http://user:pass@0177.0.0.1:" + port + "/ok", "http://127.0.0.1.:" + port + "/ok")) {
            String from = "/to-" + Integer.toHexString(target.hashCode());
            route(from, exchange -> redirect(exchange, 302, target));

            FetchOutcome outcome = fetch(from, withRetries(2));

            assertEquals("blocked_target", outcome.errorCode(), target);
            assertEquals(target, outcome.finalUrl());
            assertNull(outcome.httpStatus(), target);
            assertEquals(1, outcome.attempts(), target);
        }
        assertEquals(0, hits("/ok"));
    }

    @Test
    void aRedirectToALoopbackNameOffTheAllowListIsBlocked() throws Exception {
        // the allow-list names 127.0.0.1 only: "localhost" is another name, resolves to loopback, and is refused
        route("/to-localhost", exchange -> redirect(exchange, 307, "http://localhost:" + server.getAddress().getPort() + "/ok"));
        route("/ok", exchange -> respond(exchange, 200, "ok"));
        FetchOutcome outcome = fetch("/to-localhost", NO_RETRIES);
        assertEquals("blocked_target", outcome.errorCode());
        assertEquals(0, hits("/ok"));
    }

    @Test
    void aRedirectToANonHttpUrlIsAnInvalidUrl() throws Exception {
        route("/to-ftp", exchange -> redirect(exchange, 302, "ftp://example.com/file"));
        FetchOutcome outcome = fetch("/to-ftp", NO_RETRIES);
        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("invalid_url", outcome.errorCode());
    }

    @Test
    void withoutFollowRedirectsARedirectIsTheFinalAnswer() throws Exception {
        hops();
        FetchOutcome outcome = fetch("/hop/2", new FetchOptions(10_000, 2, Map.of(), "GET", false, 1024, 8));
        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("http_error", outcome.errorCode());
        assertEquals(302, outcome.httpStatus());
        assertEquals(1, outcome.attempts());
        assertEquals(0, hits("/hop/1"));
    }

    @Test
    void aRefusedConnectionIsConnectFailed() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        FetchOutcome outcome = fetch("http://127.0.0.1:" + port + "/", NO_RETRIES);

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("connect_failed", outcome.errorCode());
        assertNull(outcome.httpStatus());
        assertEquals(1, outcome.attempts());
    }

    @Test
    void aHeaderTheHttpClientRefusesEndsAsOneErrorRowNotAnException() throws Exception {
        route("/ok", exchange -> respond(exchange, 200, "ok"));
        FetchOptions refused = new FetchOptions(10_000, 2, Map.of("Expect", "100-continue"), "GET", true, 1024, 8);

        FetchOutcome outcome = fetch("/ok", refused);

        assertEquals("invalid_url", outcome.errorCode());
        assertEquals(1, outcome.attempts());
        assertEquals(0, hits("/ok"));
    }

    @Test
    void aTargetThePolicyRefusesIsNeverContacted() throws Exception {
        Fetcher strict = new Fetcher(client, TargetPolicy.publicOnly(Set.of()), Clock.systemUTC());
        route("/ok", exchange -> respond(exchange, 200, "ok"));

        FetchOutcome outcome = strict.fetch(URI.create(base + "/ok"), withRetries(2));

        assertEquals("blocked_target", outcome.errorCode());
        assertEquals(1, outcome.attempts());
        assertEquals(0, hits("/ok"));
    }

    @Test
    void headIsSentAsHead() throws Exception {
        route("/head", exchange -> respond(exchange, 200, "text/plain", "not sent for HEAD".getBytes(StandardCharsets.UTF_8)));

        FetchOutcome outcome = fetch("/head", new FetchOptions(10_000, 0, Map.of(), "HEAD", true, 1024, 8));

        assertEquals(RowStatus.OK, outcome.status());
        assertEquals(1, seen.size());
        assertEquals("HEAD", seen.getFirst().method());
        assertEquals(0, outcome.bytes());
        assertEquals("text/plain", outcome.contentType());
    }

    @Test
    void getIsSentAsGet() throws Exception {
        route("/get", exchange -> respond(exchange, 200, "x"));
        fetch("/get", NO_RETRIES);
        assertEquals("GET", seen.getFirst().method());
    }

    @Test
    void customHeadersReachTheServer() throws Exception {
        route("/headers", exchange -> respond(exchange, 200, "x"));
        Map<String, String> headers = Map.of("Accept-Language", "en", "X-Trawl-Test", "yes please",
                "User-Agent", "my-crawler/1.0", "X-Spaced", "a b  c");

        FetchOutcome outcome = fetch("/headers", new FetchOptions(10_000, 0, headers, "GET", true, 1024, 8));

        assertEquals(RowStatus.OK, outcome.status());
        Headers received = seen.getFirst().headers();
        assertEquals(List.of("en"), received.get("Accept-Language"));
        assertEquals(List.of("yes please"), received.get("X-Trawl-Test"));
        assertEquals(List.of("my-crawler/1.0"), received.get("User-Agent"), "a given User-Agent replaces the default");
        assertEquals("a b  c", received.getFirst("X-Spaced"));
    }

    /** Headers as the API accepts them are sent as they were given. */
    @Test
    void headersTheParserAcceptsAreSentUnchanged() throws Exception {
        route("/parsed", exchange -> respond(exchange, 200, "x"));
        var defaults = dev.trawl.core.util.Json.parse(
                "{\"headers\": {\"Accept\": \"text/html;q=0.9, */*\", \"Cookie\": \"a=1; b=\\\"2\\\"\", \"X-Odd\": \"~`|^!\"},"
                        + " \"retries\": 0, \"method\": \"GET\"}");
        FetchOptions options = dev.trawl.core.job.FetchOptionsParser.apply(FetchOptions.DEFAULTS, defaults, "defaults", Set.of());

        FetchOutcome outcome = fetch("/parsed", options);

        assertEquals(RowStatus.OK, outcome.status());
        Headers received = seen.getFirst().headers();
        options.headers().forEach((name, value) -> assertEquals(List.of(value), received.get(name), name));
    }

    @Test
    void aDefaultUserAgentIsSent() throws Exception {
        route("/ua", exchange -> respond(exchange, 200, "x"));
        fetch("/ua", NO_RETRIES);
        String agent = seen.getFirst().headers().getFirst("User-Agent");
        assertNotNull(agent);
        assertTrue(agent.startsWith("Trawl/"), agent);
    }

    @Test
    void headersAreSentOnEveryRedirectHop() throws Exception {
        hops();
        fetch("/hop/2", new FetchOptions(10_000, 0, Map.of("X-Trawl-Test", "1"), "GET", true, 1024, 8));
        assertEquals(3, seen.size());
        for (HttpExchangeRecord record : seen) {
            assertEquals("1", record.headers().getFirst("X-Trawl-Test"), record.path());
        }
    }

    @Test
    void parseUsableAcceptsOnlyHttpAndHttpsWithAHost() {
        assertNotNull(Fetcher.parseUsable("https://example.com/a"));
        assertNotNull(Fetcher.parseUsable("  http://example.com  "));
        assertNotNull(Fetcher.parseUsable("HTTP://EXAMPLE.COM/"));
        for (String bad : new String[]{null, "", "   ", "not a url", "ftp://x", "http://", "//example.com/",
                "mailto:a@example.com", "http://exa mple.com/", "http://[::1/"}) {
            assertNull(Fetcher.parseUsable(bad), bad);
        }
    }
}
