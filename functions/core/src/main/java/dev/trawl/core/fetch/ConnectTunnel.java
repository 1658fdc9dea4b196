package dev.trawl.core.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The connect-time half of the target policy for {@code https}: an HTTP {@code CONNECT} proxy on loopback that
 * the fetcher's client sends every {@code https} exchange through. It resolves the target itself, checks every
 * address with the {@link TargetPolicy}, and opens the tunnel to exactly the address it checked, so a DNS answer
 * that changes between a check and a connect (DNS rebinding) never reaches a private address. TLS still runs end
 * to end between the client and the site, with the site's name for SNI and certificate checks.
 *
 * <p>{@code http} needs no tunnel: the fetcher connects to the checked address itself (see {@link Fetcher}).
 * Refusals answer the {@code CONNECT} with a status the fetcher maps back to an error code.
 */
public final class ConnectTunnel implements AutoCloseable {
    /** The status a refused target gets; the JDK's client reports it as "Tunnel failed, got: 403". */
    static final int BLOCKED = 403;
    static final int UNRESOLVED = 404;
    static final int UNREACHABLE = 502;
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int HEAD_TIMEOUT_MS = 10_000;

    private final TargetPolicy policy;
    private final ServerSocket server;
    private final Thread acceptor;
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    private ConnectTunnel(TargetPolicy policy, ServerSocket server) {
        this.policy = policy;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("connect-tunnel").start(this::acceptLoop);
    }

    /** Listens on an ephemeral loopback port; only this process's fetcher is meant to use it. */
    public static ConnectTunnel start(TargetPolicy policy) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            return new ConnectTunnel(policy, server);
        } catch (IOException e) {
            throw new IllegalStateException("the fetcher's connect tunnel cannot listen on loopback", e);
        }
    }

    /** Sends {@code https} through the tunnel and everything else direct. */
    public ProxySelector proxySelector() {
        Proxy tunnel = new Proxy(Proxy.Type.HTTP, server.getLocalSocketAddress());
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return "https".equalsIgnoreCase(uri.getScheme()) ? List.of(tunnel) : List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // the exchange fails with the tunnel's answer; there is no other proxy to try
            }
        };
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().name("connect-tunnel-client").start(() -> serve(client));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                // e.g. out of descriptors: wait a moment rather than spin
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Connections the tunnel holds open now (each a client and an upstream socket, and a thread). */
    int openConnections() {
        return open.get();
    }

    private void serve(Socket client) {
        open.incrementAndGet();
        try (client) {
            client.setSoTimeout(HEAD_TIMEOUT_MS);
            String target = connectTarget(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            if (target == null) {
                answer(toClient, 400, "Bad Request");
                return;
            }
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            int port = Integer.parseInt(target.substring(colon + 1));
            InetAddress address = switch (policy.check(host, port)) {
                case TargetPolicy.Verdict.Refused refused -> {
                    answer(toClient, refused.code().equals("dns_failure") ? UNRESOLVED : BLOCKED, refused.code());
                    yield null;
                }
                case TargetPolicy.Verdict.Allowed allowed -> allowed.address() != null ? allowed.address()
                        : InetAddress.getByName(TargetPolicy.bare(host));
            };
            if (address == null) {
                return;
            }
            try (Socket upstream = new Socket()) {
                try {
                    upstream.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
                } catch (IOException e) {
                    answer(toClient, UNREACHABLE, "Bad Gateway");
                    return;
                }
                client.setSoTimeout(0);
                answer(toClient, 200, "Connection Established");
                // When either side ends (the client gave up on a hung site, or the site closed), both sockets close:
                // a read left waiting on a silent site would otherwise hold a thread and two descriptors for ever.
                Thread back = Thread.ofVirtual().start(() -> {
                    pipe(upstream, client);
                    closeQuietly(client);
                    closeQuietly(upstream);
                });
                pipe(client, upstream);
                closeQuietly(upstream);
                closeQuietly(client);
                back.join();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or sent nonsense: the socket closes and the exchange fails on its side
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    /** The {@code host:port} of a well-formed {@code CONNECT} request head, or null. */
    private static String connectTarget(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String requestLine = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("CONNECT") || !parts[2].toUpperCase(Locale.ROOT).startsWith("HTTP/1.")) {
            return null;
        }
        String target = parts[1];
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || target.endsWith("]")) {
            return null;
        }
        try {
            int port = Integer.parseInt(target.substring(colon + 1));
            return port > 0 && port < 65536 ? target : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void answer(OutputStream out, int status, String reason) throws IOException {
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\n" + (status == 200 ? "" : "Content-Length: 0\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Copies one direction until it ends. */
    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side closed: the tunnel is over
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing cannot lose anything here
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket cannot lose data
        }
        acceptor.interrupt();
    }
}
