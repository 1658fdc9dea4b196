package dev.trawl.core.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.RowStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's {@code Authorization}, {@code Cookie} and {@code Proxy-Authorization} go only to the origin (scheme, host,
 * port) of the URL as given; every other header follows each redirect. Two plain sites and one TLS site listen on
 * loopback; the names {@code shop.test} and {@code alias.test} both resolve to it, in the test's resolver only.
 */
class CredentialsOnRedirectTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer s3cret", "Cookie", "session=1",
            "Proxy-Authorization", "Basic cHJveHk6cHc=", "X-Trace", "t-1", "Accept-Language", "en");
    private static final FetchOptions OPTIONS = new FetchOptions(5_000, 0, HEADERS, "GET", true, 1024 * 1024, 8);
    private static SSLContext tls;

    /** One request a site received. */
    record Received(String site, String path, Headers headers) {
        boolean carriesCredentials() {
            return Fetcher.CREDENTIAL_HEADERS.stream().anyMatch(headers::containsKey);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer siteA;
    private HttpServer siteB;
    private HttpsServer tlsSite;
    private ConnectTunnel tunnel;
    private HttpClient client;
    private Fetcher fetcher;

    /** A self-signed certificate for shop.test, made by the JDK's keytool: the test keeps no key in the repository. */
    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("site.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=shop.test",
                "-ext", "SAN=dns:shop.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output;
        try (InputStream out = keytool.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(keys);
        tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    }

    @BeforeEach
    void start() throws IOException {
        siteA = listen("A", HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        siteB = listen("B", HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        tlsSite = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tlsSite.setHttpsConfigurator(new HttpsConfigurator(tls));
        listen("TLS", tlsSite);
        TargetPolicy.Resolver resolver = host -> switch (host.toLowerCase(Locale.ROOT)) {
            case "shop.test", "alias.test" -> new InetAddress[]{InetAddress.getLoopbackAddress()};
            default -> throw new UnknownHostException(host);
        };
        TargetPolicy policy = new TargetPolicy(Set.of(), resolver, address -> true);
        tunnel = ConnectTunnel.start(policy);
        // Fetcher.newHttpClient's client, trusting the test's certificate.
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .proxy(tunnel.proxySelector())
                .sslContext(tls)
                .build();
        fetcher = new Fetcher(client, policy, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        tunnel.close();
        siteA.stop(0);
        siteB.stop(0);
        tlsSite.stop(0);
    }

    /** Every path answers 200, except {@code /to?url} which redirects (302) to the URL in its query. */
    private <S extends HttpServer> S listen(String name, S server) {
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(name, exchange.getRequestURI().getPath(), exchange.getRequestHeaders()));
                if (exchange.getRequestURI().getPath().equals("/to")) {
                    exchange.getResponseHeaders().set("Location", exchange.getRequestURI().getRawQuery());
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.sendResponseHeaders(200, -1);
                }
            }
        });
        server.start();
        return server;
    }

    private static String at(String scheme, String host, HttpServer site) {
        return scheme + "://" + host + ":" + site.getAddress().getPort();
    }

    /** A URL on {@code from} that redirects to {@code to}. */
    private static String redirect(String from, String to) {
        return from + "/to?" + to;
    }

    private FetchOutcome fetch(String url) throws InterruptedException {
        FetchOutcome outcome = fetcher.fetch(URI.create(url), OPTIONS);
        assertEquals(RowStatus.OK, outcome.status(), outcome.toString());
        return outcome;
    }

    /** Proxy-Authorization aside: the JDK's client never sends it to a site, only in a CONNECT to a proxy. */
    private void assertAllHeaders(Received request) {
        HEADERS.forEach((name, value) -> {
            if (!name.equals("Proxy-Authorization")) {
                assertEquals(List.of(value), request.headers().get(name), name + " at " + request);
            }
        });
    }

    private void assertOtherHeadersOnly(Received request) {
        assertFalse(request.carriesCredentials(), "no credentials at " + request.site() + request.path());
        assertNull(request.headers().getFirst("Authorization"));
        assertEquals(List.of("t-1"), request.headers().get("X-Trace"), "other headers follow");
        assertEquals(List.of("en"), request.headers().get("Accept-Language"), "other headers follow");
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheCredentials() throws Exception {
        String origin = at("http", "shop.test", siteA);
        // The host's case is no part of the origin.
        fetch(redirect(origin, at("http", "SHOP.test", siteA) + "/landing"));

        assertEquals(2, received.size());
        received.forEach(this::assertAllHeaders);
    }

    @Test
    void aRedirectToAnotherPortDropsTheCredentials() throws Exception {
        fetch(redirect(at("http", "shop.test", siteA), at("http", "shop.test", siteB) + "/landing"));

        assertEquals(List.of("A", "B"), received.stream().map(Received::site).toList());
        assertAllHeaders(received.get(0));
        assertOtherHeadersOnly(received.get(1));
    }

    @Test
    void aRedirectToAnotherNameForTheSameAddressDropsTheCredentials() throws Exception {
        fetch(redirect(at("http", "shop.test", siteA), at("http", "alias.test", siteA) + "/landing"));

        assertEquals(List.of("A", "A"), received.stream().map(Received::site).toList());
        assertAllHeaders(received.get(0));
        assertOtherHeadersOnly(received.get(1));
    }

    @Test
    void aRedirectFromHttpsToHttpDropsTheCredentials() throws Exception {
        fetch(redirect(at("https", "shop.test", tlsSite), at("http", "shop.test", siteA) + "/landing"));

        assertEquals(List.of("TLS", "A"), received.stream().map(Received::site).toList());
        assertAllHeaders(received.get(0));
        assertOtherHeadersOnly(received.get(1));
    }

    @Test
    void credentialsOnceDroppedStayDroppedWhenTheChainComesBack() throws Exception {
        String home = at("http", "shop.test", siteA);
        fetch(redirect(home, redirect(at("http", "shop.test", siteB), home + "/back")));

        assertEquals(List.of("A", "B", "A"), received.stream().map(Received::site).toList());
        assertAllHeaders(received.get(0));
        assertOtherHeadersOnly(received.get(1));
        assertOtherHeadersOnly(received.get(2));
    }

    @Test
    void credentialHeadersAreKnownWhateverTheirCase() {
        Map<String, String> given = Map.of("authorization", "a", "COOKIE", "c", "Proxy-authorization", "p", "X-Trace", "t");

        assertEquals(Map.of("X-Trace", "t"), Fetcher.headersFor(given, false));
        assertEquals(given, Fetcher.headersFor(given, true));
    }

    @Test
    void anOriginIsSchemeHostAndEffectivePort() {
        Origin plain = Origin.of(URI.create("http://Shop.Test/a"));
        assertEquals(plain, Origin.of(URI.create("HTTP://shop.test:80/b?c")));
        assertEquals(Origin.of(URI.create("https://shop.test/")), Origin.of(URI.create("https://shop.test:443/x")));
        assertNotEquals(plain, Origin.of(URI.create("https://shop.test/")), "another scheme");
        assertNotEquals(plain, Origin.of(URI.create("http://shop.test:8080/")), "another port");
        assertNotEquals(plain, Origin.of(URI.create("http://www.shop.test/")), "another host");
        assertNotEquals(Origin.of(URI.create("https://shop.test:8443/")), Origin.of(URI.create("http://shop.test:8443/")),
                "the same port under another scheme");
        assertEquals("http://shop.test", plain.toString());
        assertEquals("https://[::1]:8443", Origin.of(URI.create("https://[::1]:8443/")).toString());
    }
}
