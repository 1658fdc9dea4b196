package dev.trawl.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver in this JVM on 127.0.0.1: every POST to {@code /hook/NAME} is kept (its event headers and body)
 * and answered 204, or 500 for the first POSTs of a path told to fail, so that the sender retries.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One POST as it arrived, and what it was answered. */
    record Received(String eventId, String eventType, String signature, String body, int answered) {
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failFirst = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook/", this::handle);
        server.start();
    }

    String url(String name) {
        return "http://" + hostAndPort() + "/hook/" + name;
    }

    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} POSTs to {@code /hook/name} are answered 500. */
    void failFirst(String name, int times) {
        failFirst.computeIfAbsent("/hook/" + name, p -> new AtomicInteger()).addAndGet(times);
    }

    List<Received> received(String name) {
        return List.copyOf(received.getOrDefault("/hook/" + name, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            AtomicInteger failing = failFirst.get(path);
            int status = failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(
                    exchange.getRequestHeaders().getFirst("Trawl-Delivery"), exchange.getRequestHeaders().getFirst("Trawl-Event"),
                    exchange.getRequestHeaders().getFirst("Trawl-Signature"), body, status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
