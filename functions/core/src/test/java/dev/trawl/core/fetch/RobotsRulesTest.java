package dev.trawl.core.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
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
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a site's robots.txt, or its absence, decides a URL, and that it is fetched once per site per job. */
class RobotsRulesTest {
    private HttpServer server;
    private HttpClient client;
    private ConnectTunnel tunnel;
    private RobotsRules robots;
    private String base;
    private final AtomicInteger robotsFetches = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final AtomicReference<Headers> robotsHeaders = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/robots.txt", exchange -> {
            try (exchange) {
                robotsFetches.incrementAndGet();
                robotsHeaders.set(exchange.getRequestHeaders());
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of("127.0.0.1"));
        tunnel = ConnectTunnel.start(policy);
        client = Fetcher.newHttpClient(tunnel);
        robots = new RobotsRules(new Fetcher(client, policy, Clock.systemUTC(), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.close();
        tunnel.close();
    }

    private RobotsRules.Refusal check(String job, String path) throws InterruptedException {
        return robots.refusal(job, URI.create(base + path), Fetcher.NO_DEADLINE);
    }

    @Test
    void rulesForTrawlDecideAndAreFetchedOncePerSitePerJob() throws Exception {
        body.set("User-agent: *\nDisallow: /\n\nUser-agent: trawl\nDisallow: /private\nAllow: /private/ok\n");

        assertNull(check("job_a", "/public/page"));
        assertEquals("robots_disallowed", check("job_a", "/private/page").code());
        assertNull(check("job_a", "/private/ok?x=1"));
        assertEquals(1, robotsFetches.get());

        assertNull(check("job_b", "/public/page"));
        assertEquals(2, robotsFetches.get(), "another job reads the file anew");
    }

    @Test
    void aMissingRobotsTxtAllowsEverything() throws Exception {
        status.set(404);
        assertNull(check("job_c", "/anything"));
    }

    @Test
    void aServerErrorForRobotsTxtDisallowsEverything() throws Exception {
        status.set(503);
        RobotsRules.Refusal refusal = check("job_d", "/anything");
        assertEquals("robots_disallowed", refusal.code());
    }

    @Test
    void aSiteThatCannotBeReachedKeepsItsOwnError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RobotsRules.Refusal refusal = robots.refusal("job_e", URI.create("http://127.0.0.1:" + closedPort + "/x"),
                Fetcher.NO_DEADLINE);
        assertEquals("connect_failed", refusal.code());
        assertTrue(refusal.message().startsWith("robots.txt could not be fetched"), refusal.message());
    }

    /** The job's headers are for the URLs it names: robots.txt, which may redirect anywhere, gets the fetcher's own. */
    @Test
    void robotsTxtIsAskedForWithNoneOfTheJobsHeaders() throws Exception {
        assertNull(check("job_f", "/page"));

        Headers sent = robotsHeaders.get();
        for (String credential : Fetcher.CREDENTIAL_HEADERS) {
            assertFalse(sent.containsKey(credential), credential);
        }
        assertEquals(Fetcher.USER_AGENT, sent.getFirst("User-Agent"));
    }
}
