package dev.trawl.local.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The cheapest site to fetch, on loopback, for a benchmark of the service rather than the site: every path answers the
 * same tiny page, and nothing is kept per request (the tests' {@code TestSite} counts each path's hits, which for a
 * million paths would weigh in the heap being measured). Reachable as 127.0.0.1 to 127.0.0.{@value #HOSTS}.
 */
final class LoopbackSite implements AutoCloseable {
    static final int HOSTS = 4;
    private static final byte[] PAGE = "<html><head><title>p</title></head><body>ok</body></html>"
            .getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;

    LoopbackSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", LoopbackSite::answer);
        server.start();
    }

    /** {@code /page/N} on host 127.0.0.{@code 1 + N % HOSTS}. */
    String page(int n) {
        return "http://127.0.0." + (1 + n % HOSTS) + ":" + server.getAddress().getPort() + "/page/" + n;
    }

    Set<String> hostsAndPorts() {
        Set<String> all = new HashSet<>();
        for (int host = 1; host <= HOSTS; host++) {
            all.add("127.0.0." + host + ":" + server.getAddress().getPort());
        }
        return all;
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, PAGE.length);
            exchange.getResponseBody().write(PAGE);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
