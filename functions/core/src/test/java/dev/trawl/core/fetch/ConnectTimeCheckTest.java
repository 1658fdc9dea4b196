package dev.trawl.core.fetch;

import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.RowStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy holds at connect time: the fetcher connects to the very address it checked, so a DNS server that
 * answers a public address to the check and a private one a moment later (DNS rebinding) gets nowhere.
 * Two raw sites listen on one port: 127.0.0.2 stands for the internet and 127.0.0.1 for the private network the
 * attacker wants to reach. The host names below exist only in the test's resolver, so the JDK could never look
 * them up itself: a fetch that succeeds proves it went to the checked address.
 */
class ConnectTimeCheckTest {
    private static final InetAddress PRIVATE = address(127, 0, 0, 1);
    private static final InetAddress PUBLIC = address(127, 0, 0, 2);
    private static final FetchOptions OPTIONS = new FetchOptions(5_000, 0, Map.of(), "GET", true, 1024 * 1024, 8);

    private RawSite publicSite;
    private RawSite privateSite;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private ConnectTunnel tunnel;
    private HttpClient client;
    private Fetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        publicSite = new RawSite(PUBLIC, 0);
        privateSite = new RawSite(PRIVATE, publicSite.port());
        // The first answer for rebind.test is public, every later one private; other names are stable.
        AtomicInteger rebindAnswers = new AtomicInteger();
        TargetPolicy.Resolver resolver = host -> {
            asked.add(host);
            return switch (host) {
                case "shop.test", "tls.test" -> new InetAddress[]{PUBLIC};
                case "rebind.test" -> new InetAddress[]{rebindAnswers.getAndIncrement() == 0 ? PUBLIC : PRIVATE};
                default -> throw new UnknownHostException(host);
            };
        };
        TargetPolicy policy = new TargetPolicy(Set.of(), resolver, address -> !address.equals(PRIVATE));
        tunnel = ConnectTunnel.start(policy);
        client = Fetcher.newHttpClient(tunnel);
        fetcher = new Fetcher(client, policy, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        client.close();
        tunnel.close();
        publicSite.close();
        privateSite.close();
    }

    @Test
    void anHttpFetchGoesToTheCheckedAddressWithTheSitesNameAsHost() throws Exception {
        FetchOutcome outcome = fetcher.fetch(URI.create("http://shop.test:" + publicSite.port() + "/item?id=7"), OPTIONS);

        assertEquals(RowStatus.OK, outcome.status(), outcome.toString());
        assertEquals("http://shop.test:" + publicSite.port() + "/item?id=7", outcome.finalUrl());
        String request = publicSite.requests().getFirst();
        assertTrue(request.startsWith("GET /item?id=7 HTTP/1.1\r\n"), request);
        assertTrue(request.toLowerCase().contains("\r\nhost: shop.test:" + publicSite.port() + "\r\n"), request);
        assertEquals(List.of("shop.test"), asked, "looked up once, by the check");
    }

    @Test
    void anHttpRebindAfterTheCheckStillReachesOnlyTheCheckedAddress() throws Exception {
        FetchOutcome outcome = fetcher.fetch(URI.create("http://rebind.test:" + publicSite.port() + "/"), OPTIONS);

        assertEquals(RowStatus.OK, outcome.status(), outcome.toString());
        assertEquals(1, publicSite.requests().size());
        assertEquals(0, privateSite.connections(), "the private address was never connected to");
    }

    @Test
    void anHttpsRebindBetweenTheCheckAndTheConnectIsABlockedTarget() throws Exception {
        FetchOutcome outcome = fetcher.fetch(URI.create("https://rebind.test:" + publicSite.port() + "/"), OPTIONS);

        assertEquals(RowStatus.ERROR, outcome.status());
        assertEquals("blocked_target", outcome.errorCode(), outcome.toString());
        assertEquals(List.of("rebind.test", "rebind.test"), asked, "checked by the fetcher, then again at connect");
        assertEquals(0, privateSite.connections(), "the private address was never connected to");
        assertEquals(0, publicSite.connections(), "nor anything else: the tunnel refused");
    }

    @Test
    void anHttpsFetchIsTunnelledToTheCheckedAddressWithTheSitesNameForTls() throws Exception {
        FetchOutcome outcome = fetcher.fetch(URI.create("https://tls.test:" + publicSite.port() + "/"), OPTIONS);

        // The raw site speaks no TLS, so the handshake fails; what matters is where it went and what it asked for.
        assertEquals(RowStatus.ERROR, outcome.status());
        byte[] hello = publicSite.firstBytes().getFirst();
        assertEquals(0x16, hello[0], "a TLS handshake record arrived through the tunnel");
        assertTrue(new String(hello, StandardCharsets.ISO_8859_1).contains("tls.test"), "SNI names the site");
        assertEquals(0, privateSite.connections());
    }

    @Test
    void aTunnelToASiteThatNeverAnswersClosesWhenTheFetchGivesUp() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(PUBLIC, 0));
            java.util.concurrent.CountDownLatch closedByTunnel = new java.util.concurrent.CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try (Socket socket = silent.accept(); InputStream in = socket.getInputStream()) {
                    while (in.read() >= 0) {
                        // take the TLS hello and say nothing
                    }
                    closedByTunnel.countDown();
                } catch (IOException ignored) {
                    closedByTunnel.countDown();
                }
            });
            FetchOptions oneSecond = new FetchOptions(1_000, 0, Map.of(), "GET", true, 1024, 8);

            FetchOutcome outcome = fetcher.fetch(URI.create("https://tls.test:" + silent.getLocalPort() + "/"), oneSecond);

            assertEquals("timeout", outcome.errorCode());
            assertTrue(closedByTunnel.await(10, java.util.concurrent.TimeUnit.SECONDS),
                    "the tunnel let go of the silent site's connection");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tunnel.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, tunnel.openConnections(), "no thread or socket is left waiting on the silent site");
        }
    }

    @Test
    void anHttpsTargetThatNoLongerResolvesIsADnsFailure() throws Exception {
        FetchOutcome outcome = fetcher.fetch(URI.create("https://gone.test/"), OPTIONS);
        assertEquals("dns_failure", outcome.errorCode());
    }

    @Test
    void theTunnelRefusesAnythingButConnect() throws Exception {
        InetSocketAddress proxy = (InetSocketAddress) tunnel.proxySelector().select(URI.create("https://x.test/"))
                .getFirst().address();
        try (Socket socket = new Socket(proxy.getAddress(), proxy.getPort())) {
            socket.getOutputStream().write("GET http://shop.test/ HTTP/1.1\r\nHost: shop.test\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
        assertEquals(List.of(), asked);
        assertEquals(List.of(java.net.Proxy.NO_PROXY), tunnel.proxySelector().select(URI.create("http://x.test/")));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A socket server that records what arrives and answers any HTTP request with a small page. */
    private static final class RawSite implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<byte[]> firstBytes = new CopyOnWriteArrayList<>();

        RawSite(InetAddress address, int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port));
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<String> requests() {
            return requests;
        }

        List<byte[]> firstBytes() {
            return firstBytes;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                int n = in.read(buffer);
                if (n <= 0) {
                    return;
                }
                firstBytes.add(java.util.Arrays.copyOf(buffer, n));
                String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                if (!text.contains("HTTP/1.1")) {
                    return; // not HTTP (a TLS handshake): hang up
                }
                requests.add(text);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException ignored) {
                // the client hung up
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }
}
