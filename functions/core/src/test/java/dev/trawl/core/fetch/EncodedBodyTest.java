package dev.trawl.core.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.RowStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressed answers: decoded as they stream, {@code max_bytes} on the decoded size, a gzip bomb cut off. */
class EncodedBodyTest {
    private static final byte[] PAGE = page();
    private HttpServer server;
    private HttpClient client;
    private ConnectTunnel tunnel;
    private Fetcher fetcher;
    private String base;
    private final Map<String, String> acceptEncodingSeen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of("127.0.0.1"));
        tunnel = ConnectTunnel.start(policy);
        client = Fetcher.newHttpClient(tunnel);
        fetcher = new Fetcher(client, policy, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.close();
        tunnel.close();
    }

    private void serve(String path, String encoding, byte[] body) {
        server.createContext(path, exchange -> {
            try (exchange) {
                acceptEncodingSeen.put(path, exchange.getRequestHeaders().getFirst("Accept-Encoding") + "");
                send(exchange, encoding, body);
            }
        });
    }

    private static void send(HttpExchange exchange, String encoding, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        if (encoding != null) {
            exchange.getResponseHeaders().set("Content-Encoding", encoding);
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Fetcher.Fetched fetch(String path, long maxBytes, int keep) throws InterruptedException {
        return fetch(path, maxBytes, keep, Map.of());
    }

    private Fetcher.Fetched fetch(String path, long maxBytes, int keep, Map<String, String> headers)
            throws InterruptedException {
        FetchOptions options = new FetchOptions(10_000, 0, headers, "GET", true, maxBytes, 8);
        return fetcher.fetch(URI.create(base + path), options, keep);
    }

    @Test
    void aGzipAnswerIsDecodedAndCountedDecoded() throws Exception {
        serve("/gz", "gzip", gzip(PAGE));
        Fetcher.Fetched fetched = fetch("/gz", 1 << 20, 1 << 20);

        assertEquals(RowStatus.OK, fetched.outcome().status(), fetched.outcome().toString());
        assertEquals(PAGE.length, fetched.outcome().bytes(), "bytes is the decoded size");
        assertArrayEquals(PAGE, Arrays.copyOf(fetched.body(), fetched.bodyLength()));
        assertEquals("gzip", acceptEncodingSeen.get("/gz"));
    }

    @Test
    void aDeflateAnswerIsDecoded() throws Exception {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
            out.write(PAGE);
        }
        serve("/deflate", "deflate", zlib.toByteArray());
        Fetcher.Fetched fetched = fetch("/deflate", 1 << 20, 1 << 20);
        assertEquals(PAGE.length, fetched.outcome().bytes());
        assertArrayEquals(PAGE, Arrays.copyOf(fetched.body(), fetched.bodyLength()));
    }

    @Test
    void aGzipBombIsCutOffAtMaxBytesOfDecodedBody() throws Exception {
        byte[] bomb = gzip(new byte[200 * 1024 * 1024]); // 200 MiB of zeros in about 200 KiB
        assertTrue(bomb.length < 1024 * 1024, "the bomb is small on the wire: " + bomb.length);
        serve("/bomb", "gzip", bomb);

        Fetcher.Fetched fetched = fetch("/bomb", 1024 * 1024, 64 * 1024);
        assertEquals(RowStatus.ERROR, fetched.outcome().status());
        assertEquals("too_large", fetched.outcome().errorCode());
        assertNull(fetched.body(), "nothing kept of an answer that failed");
    }

    @Test
    void aDecodedBodyOfExactlyMaxBytesIsOk() throws Exception {
        serve("/exact", "gzip", gzip(PAGE));
        assertEquals(RowStatus.OK, fetch("/exact", PAGE.length, 0).outcome().status());
        assertEquals("too_large", fetch("/exact", PAGE.length - 1, 0).outcome().errorCode());
    }

    @Test
    void concatenatedGzipMembersAreAllDecoded() throws Exception {
        byte[] first = "<html><body>first half, ".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second half</body></html>".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip(first));
        both.write(gzip(second));
        serve("/members", "gzip", both.toByteArray());

        Fetcher.Fetched fetched = fetch("/members", 1 << 20, 1 << 20);
        assertEquals("<html><body>first half, second half</body></html>",
                new String(fetched.body(), 0, fetched.bodyLength(), StandardCharsets.UTF_8));
    }

    @Test
    void aBodyThatIsNotTheEncodingItClaimsIsCountedAsItCame() throws Exception {
        serve("/liar", "gzip", PAGE);
        Fetcher.Fetched fetched = fetch("/liar", 1 << 20, 1 << 20);
        assertEquals(RowStatus.OK, fetched.outcome().status());
        assertEquals(PAGE.length, fetched.outcome().bytes());
    }

    @Test
    void anEncodingLeftAloneIsCountedRaw() throws Exception {
        byte[] raw = "pretend brotli".getBytes(StandardCharsets.UTF_8);
        serve("/br", "br", raw);
        Fetcher.Fetched fetched = fetch("/br", 1 << 20, 0, Map.of("Accept-Encoding", "br"));
        assertEquals(RowStatus.OK, fetched.outcome().status());
        assertEquals(raw.length, fetched.outcome().bytes());
        assertEquals("br", acceptEncodingSeen.get("/br"), "the job's own Accept-Encoding wins");
        assertNull(fetched.body(), "nothing asked to be kept");
    }

    @Test
    void onlyTheFirstKeepBytesAreKept() throws Exception {
        serve("/keep", "gzip", gzip(PAGE));
        Fetcher.Fetched fetched = fetch("/keep", 1 << 20, 100);
        assertEquals(PAGE.length, fetched.outcome().bytes());
        assertEquals(100, fetched.bodyLength());
        assertArrayEquals(Arrays.copyOf(PAGE, 100), Arrays.copyOf(fetched.body(), 100));
    }

    /** Every header flag, and every way of splitting the stream into buffers, decodes to the same bytes. */
    @Test
    void theDecoderTakesAGzipHeaderWithEveryOptionalFieldSplitAnywhere() throws Exception {
        byte[] deflated = rawDeflate(PAGE);
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.write(new byte[]{0x1F, (byte) 0x8B, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        member.write(new byte[]{3, 0, 'a', 'b', 'c'}); // FEXTRA: length 3
        member.write("name.html\0".getBytes(StandardCharsets.ISO_8859_1)); // FNAME
        member.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1)); // FCOMMENT
        member.write(new byte[]{0x12, 0x34}); // FHCRC (not checked)
        member.write(deflated);
        member.write(new byte[8]); // CRC32 and ISIZE (not checked)
        byte[] stream = member.toByteArray();

        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            ContentDecoder decoder = ContentDecoder.forEncoding("gzip");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, 1 + random.nextInt(round < 5 ? 1 : 700));
                decoder.feed(ByteBuffer.wrap(stream, at, n), piece -> {
                    byte[] copy = new byte[piece.remaining()];
                    piece.get(copy);
                    out.writeBytes(copy);
                    return true;
                });
                at += n;
            }
            assertArrayEquals(PAGE, out.toByteArray(), "round " + round);
        }
    }

    @Test
    void theDecoderRefusesWhatIsNotGzip() {
        ContentDecoder decoder = ContentDecoder.forEncoding("gzip");
        assertThrows(DataFormatException.class, () -> decoder.feed(ByteBuffer.wrap(PAGE), piece -> true));
        assertNull(ContentDecoder.forEncoding("identity"));
        assertNull(ContentDecoder.forEncoding(null));
        assertTrue(ContentDecoder.decodes("X-GZIP"));
    }

    private static byte[] page() {
        StringBuilder html = new StringBuilder("<html><head><title>Blue mug</title></head><body>");
        for (int i = 0; i < 2_000; i++) {
            html.append("<p>line ").append(i).append(" of a page that compresses well</p>");
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

    private static byte[] rawDeflate(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
