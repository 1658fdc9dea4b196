package dev.trawl.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A site to fetch, in this JVM on 127.0.0.1 (the functions run here too; LocalStack never calls it):
 * {@code /page/N} an HTML page, {@code /missing/N} 404, and {@code /hook/NAME} a webhook receiver that keeps every
 * request and answers the statuses set with {@link #hookAnswers}, then 200.
 */
final class TestSite implements AutoCloseable {
    /** A request a {@code /hook/…} path received; header names in lower case. */
    record HookRequest(String method, Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final HttpServer server;
    private final Map<String, List<HookRequest>> hookRequests = new ConcurrentHashMap<>();
    private final Map<String, Queue<Integer>> hookStatuses = new ConcurrentHashMap<>();

    TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://" + hostAndPort() + path;
    }

    /** For the fetch target policy's allow list, which refuses 127.0.0.1 otherwise. */
    Set<String> hostsAndPorts() {
        return Set.of(hostAndPort());
    }

    private String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The statuses {@code path} answers its next requests with, in order; once they are used up, 200. */
    void hookAnswers(String path, int... statuses) {
        Queue<Integer> queue = hookStatuses.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>());
        for (int status : statuses) {
            queue.add(status);
        }
    }

    /** What {@code path} has received so far, in order of arrival. */
    List<HookRequest> hookRequests(String path) {
        List<HookRequest> received = hookRequests.get(path);
        if (received == null) {
            return List.of();
        }
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String[] parts = path.split("/");
            switch (parts.length > 2 ? parts[1] : "") {
                case "page" -> answer(exchange, 200, "<html><head><title>Page " + parts[2] + "</title></head><body>ok</body></html>");
                case "missing" -> answer(exchange, 404, "<html><body>not here</body></html>");
                case "hook" -> hook(exchange, path);
                default -> answer(exchange, 404, "no such test page");
            }
        } catch (IOException e) {
            // the client gave up on this exchange: nothing to answer
        }
    }

    private void hook(HttpExchange exchange, String path) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        List<HookRequest> received = hookRequests.computeIfAbsent(path, p -> new ArrayList<>());
        synchronized (received) {
            received.add(new HookRequest(exchange.getRequestMethod(), headers, body, Instant.now()));
        }
        Queue<Integer> statuses = hookStatuses.get(path);
        Integer status = statuses == null ? null : statuses.poll();
        answer(exchange, status == null ? 200 : status, "hook");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
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
