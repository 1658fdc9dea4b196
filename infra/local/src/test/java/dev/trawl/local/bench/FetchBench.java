package dev.trawl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.extract.Extractor;
import dev.trawl.core.fetch.ConnectTunnel;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.util.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The worker's fetch path on loopback, in one JVM: plain pages (the baseline), the same pages gzip-encoded (decoded
 * as they stream), and plain pages with {@code extract} (body kept, parsed by jsoup, fields read). Each mode runs
 * interleaved with the others, three rounds after a warm-up; the median round is printed with its ratio to the
 * baseline's pages per second and CPU per page.
 */
public final class FetchBench {
    private static final int PAGES = Integer.getInteger("bench.pages", 20_000);
    private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 64);

    private enum Mode { PLAIN, GZIP, EXTRACT }

    private record Round(Mode mode, double pagesPerSecond, double cpuMicrosPerPage) {
    }

    public static void main(String[] args) throws Exception {
        byte[] page = productPage();
        byte[] gzipped = gzip(page);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/plain", exchange -> send(exchange, page, null));
        server.createContext("/gzip", exchange -> send(exchange, gzipped, "gzip"));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of("127.0.0.1"));
        try (ConnectTunnel tunnel = ConnectTunnel.start(policy); HttpClient client = Fetcher.newHttpClient(tunnel)) {
            Fetcher fetcher = new Fetcher(client, policy, Clock.systemUTC(), Duration.ofSeconds(1));
            Extraction extraction = Extraction.parse(Json.parse(
                    "{\"name\": \"string\", \"price\": \"number\", \"title\": {\"css\": \"title\"}}"), "extract");
            for (Mode mode : Mode.values()) {
                run(mode, fetcher, extraction, base, PAGES / 4); // warm-up
            }
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                for (Mode mode : Mode.values()) {
                    rounds.add(run(mode, fetcher, extraction, base, PAGES));
                }
            }
            Round baseline = median(rounds, Mode.PLAIN);
            System.out.printf("pages %d, in flight %d, page %d bytes (%d gzip)%n", PAGES, IN_FLIGHT, page.length, gzipped.length);
            System.out.println("| mode | pages/s | × baseline | CPU µs per page | × baseline |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (Mode mode : Mode.values()) {
                Round r = median(rounds, mode);
                System.out.printf("| %s | %.0f | %.2f | %.0f | %.2f |%n", mode.name().toLowerCase(), r.pagesPerSecond(),
                        r.pagesPerSecond() / baseline.pagesPerSecond(), r.cpuMicrosPerPage(),
                        r.cpuMicrosPerPage() / baseline.cpuMicrosPerPage());
            }
        } finally {
            server.stop(0);
        }
    }

    private static Round run(Mode mode, Fetcher fetcher, Extraction extraction, String base, int pages) throws Exception {
        FetchOptions options = new FetchOptions(10_000, 0, Map.of(), "GET", true, 10L * 1024 * 1024, 64);
        URI uri = URI.create(base + (mode == Mode.GZIP ? "/gzip" : "/plain"));
        Extractor extractor = new Extractor();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger found = new AtomicInteger();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < pages; i++) {
                slots.acquire();
                executor.submit(() -> {
                    try {
                        Fetcher.Fetched fetched = fetcher.fetch(uri, options, mode == Mode.EXTRACT ? 5 * 1024 * 1024 : 0);
                        if (fetched.outcome().status() != RowStatus.OK) {
                            failed.incrementAndGet();
                        } else if (mode == Mode.EXTRACT) {
                            JsonNode data = extractor.extract(extraction, fetched.body(), fetched.bodyLength(),
                                    fetched.outcome().contentType());
                            if (data.get("price").asDouble() == 12.5) {
                                found.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3;
        if (failed.get() > 0 || (mode == Mode.EXTRACT && found.get() != pages)) {
            throw new IllegalStateException(mode + ": " + failed.get() + " failed, " + found.get() + " extracted of " + pages);
        }
        return new Round(mode, pages / seconds, cpuMicros / pages);
    }

    private static Round median(List<Round> rounds, Mode mode) {
        List<Round> mine = rounds.stream().filter(r -> r.mode() == mode)
                .sorted((a, b) -> Double.compare(a.pagesPerSecond(), b.pagesPerSecond())).toList();
        return mine.get(mine.size() / 2);
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, byte[] body, String encoding) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            if (encoding != null) {
                exchange.getResponseHeaders().set("Content-Encoding", encoding);
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A product page of about 20 KB, its structured data in the head as shops put it. */
    private static byte[] productPage() {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Blue mug | Shop</title>"
                + "<meta property=\"og:title\" content=\"Blue mug\"><script type=\"application/ld+json\">"
                + "{\"@context\": \"https://schema.org\", \"@type\": \"Product\", \"name\": \"Blue mug\", "
                + "\"offers\": {\"@type\": \"Offer\", \"price\": \"12.50\", \"priceCurrency\": \"EUR\"}}</script></head><body>");
        for (int i = 0; html.length() < 20_000; i++) {
            html.append("<div class=\"item\"><a href=\"/p/").append(i).append("\">Related product ").append(i)
                    .append("</a><span class=\"price\">€ ").append(i).append(",99</span></div>");
        }
        return html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
