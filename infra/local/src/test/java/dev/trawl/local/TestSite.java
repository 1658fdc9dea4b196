package dev.trawl.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A site to fetch, in this JVM on 127.0.0.1: {@code /page/N} answers an HTML page, {@code /missing/N} 404,
 * {@code /error/N} 500, {@code /slow/N?ms=M} a page after M milliseconds. It counts the hits of every path.
 * {@code /hook/NAME} is a webhook receiver: it keeps every request (method, headers, body) per path and answers the
 * statuses set with {@link #hookAnswers}, one per request, then 200. Public for infra/localstack's tests.
 */
public final class TestSite implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public TestSite() throws IOException {
        // On the wildcard address, so that 127.0.0.2, 127.0.0.3, … reach it too: other hosts for per-host limits.
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The same site as another host, 127.0.0.{@code host} (1 to {@value #HOSTS}), for per-host limits. */
    public String url(int host, String path) {
        return "http://127.0.0." + host + ":" + server.getAddress().getPort() + path;
    }

    public static final int HOSTS = 4;

    /** Every host name of the site, for the target policy's allow list. */
    public java.util.Set<String> hostsAndPorts() {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (int host = 1; host <= HOSTS; host++) {
            all.add("127.0.0." + host + ":" + server.getAddress().getPort());
        }
        return all;
    }

    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    /** The most {@code /slow} requests under {@code prefix} this site has served at once. */
    public int mostInFlight(String prefix) {
        return gauge(prefix).most.get();
    }

    /** Counts in-flight requests per path prefix, so one test's leftovers never count towards another's peak. */
    private static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
    }

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private Gauge gauge(String prefix) {
        return gauges.computeIfAbsent(prefix, p -> new Gauge());
    }

    /** The prefix a {@code /slow/RUN-N} path is counted under: {@code /slow/RUN-}. */
    private static String slowPrefix(String path) {
        int dash = path.lastIndexOf('-');
        return dash < 0 ? path : path.substring(0, dash + 1);
    }

    public int hitsUnder(String prefix) {
        return hits.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue().get()).sum();
    }

    /** A request a {@code /hook/…} path received; header names in lower case. */
    public record HookRequest(String method, Map<String, java.util.List<String>> headers, String body, java.time.Instant at) {
        public String header(String name) {
            java.util.List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final Map<String, java.util.List<HookRequest>> hookRequests = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<Integer>> hookStatuses = new ConcurrentHashMap<>();

    /** The statuses {@code path} answers its next requests with, in order; once they are used up, 200. */
    public void hookAnswers(String path, int... statuses) {
        java.util.Queue<Integer> queue = hookStatuses.computeIfAbsent(path, p -> new java.util.concurrent.ConcurrentLinkedQueue<>());
        for (int status : statuses) {
            queue.add(status);
        }
    }

    /** What {@code path} has received so far, in order of arrival. */
    public java.util.List<HookRequest> hookRequests(String path) {
        java.util.List<HookRequest> received = hookRequests.get(path);
        if (received == null) {
            return java.util.List.of();
        }
        synchronized (received) {
            return java.util.List.copyOf(received);
        }
    }

    private void hook(HttpExchange exchange, String path) throws IOException {
        String body;
        try (java.io.InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, java.util.List<String>> headers = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), java.util.List.copyOf(values)));
        java.util.List<HookRequest> received = hookRequests.computeIfAbsent(path, p -> new java.util.ArrayList<>());
        synchronized (received) {
            received.add(new HookRequest(exchange.getRequestMethod(), headers, body, java.time.Instant.now()));
        }
        java.util.Queue<Integer> statuses = hookStatuses.get(path);
        Integer status = statuses == null ? null : statuses.poll();
        html(exchange, status == null ? 200 : status, "hook");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String[] parts = path.split("/");
            String kind = parts.length > 1 ? parts[1] : "";
            switch (kind) {
                case "page" -> html(exchange, 200, "<html><head><title>Page " + parts[2] + "</title></head><body>ok</body></html>");
                case "missing" -> html(exchange, 404, "<html><body>not here</body></html>");
                case "error" -> html(exchange, 500, "<html><body>broken</body></html>");
                case "hook" -> hook(exchange, path);
                case "slow" -> {
                    String query = exchange.getRequestURI().getQuery();
                    long millis = query != null && query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 1_000;
                    Gauge gauge = gauge(slowPrefix(path));
                    gauge.most.accumulateAndGet(gauge.now.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        gauge.now.decrementAndGet();
                    }
                    html(exchange, 200, "<html><body>slow</body></html>");
                }
                default -> html(exchange, 404, "no such test page");
            }
        } catch (IOException e) {
            // the fetcher gave up on this exchange (a time-out): nothing to answer
        }
    }

    private static void html(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
