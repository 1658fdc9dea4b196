package dev.trawl.core.fetch;

import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.RowStatus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Fetches one URL: the target policy on every hop, redirects followed by hand, {@code timeout_ms} over the
 * whole exchange of an attempt, {@code max_bytes} on the body, and retries with backoff for retryable outcomes.
 * A job's credentials ({@link #CREDENTIAL_HEADERS}) go only to the origin of the URL as given.
 */
public final class Fetcher {
    private static final long BACKOFF_BASE_MS = 200;
    private static final long BACKOFF_CAP_MS = 5_000;
    private static final String TIMEOUT_MESSAGE = "no complete answer within timeout_ms";
    /** How the JDK's client reports a {@code CONNECT} answered with anything but 200. */
    private static final String TUNNEL_REFUSED = "Tunnel failed, got:";
    /** No time limit beyond each attempt's own {@code timeout_ms}. */
    public static final long NO_DEADLINE = Long.MIN_VALUE;
    public static final String USER_AGENT = "Trawl/0.1 (+batch fetcher)";
    /**
     * Compressed answers save the sites and the service bandwidth; gzip is decoded as it streams in. deflate is not
     * asked for (servers disagree on whether it is zlib-wrapped) but decoded when it is zlib, as the standard says.
     */
    private static final String ACCEPT_ENCODING = "gzip";
    private static final String ALLOW_HOST_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";
    /** The job's headers, lower case, that are sent only while a hop stays on the origin of the URL as given. */
    public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
    private final HttpClient client;
    private final TargetPolicy policy;
    private final Clock clock;

    /** Waits longer than this a {@code Retry-After} asks for are cut to it, so one host cannot stall a chunk. */
    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofSeconds(60);
    private final Duration retryAfterCap;

    public Fetcher(HttpClient client, TargetPolicy policy, Clock clock) {
        this(client, policy, clock, DEFAULT_RETRY_AFTER_CAP);
    }

    static {
        // An http request goes to the address the policy checked, so it must carry the site's name in Host itself.
        // The JDK reads this once, when its HTTP client classes first load: hence here, and in the launchers.
        if (System.getProperty(ALLOW_HOST_PROPERTY) == null) {
            System.setProperty(ALLOW_HOST_PROPERTY, "host");
        }
    }

    public Fetcher(HttpClient client, TargetPolicy policy, Clock clock, Duration retryAfterCap) {
        requireHostHeader();
        this.client = client;
        this.policy = policy;
        this.clock = clock;
        this.retryAfterCap = retryAfterCap;
    }

    /**
     * A fetcher for a container's lifetime: its client sends {@code https} through a {@link ConnectTunnel} that
     * checks the policy at connect time, and {@code http} straight to the checked address.
     */
    public static Fetcher create(TargetPolicy policy, Clock clock, Duration retryAfterCap) {
        return new Fetcher(newHttpClient(ConnectTunnel.start(policy)), policy, clock, retryAfterCap);
    }

    /** The client the fetcher is built for: HTTP/1.1, no automatic redirects, https through the tunnel. */
    public static HttpClient newHttpClient(ConnectTunnel tunnel) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .proxy(tunnel.proxySelector())
                .build();
    }

    private static void requireHostHeader() {
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).setHeader("Host", "example.com");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The JDK's HTTP client was loaded before the fetcher with Host restricted; "
                    + "start the JVM with -D" + ALLOW_HOST_PROPERTY + "=host");
        }
    }

    /** Whether a string is a URL this service would try to fetch at all. */
    public static URI parseUsable(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    public FetchOutcome fetch(URI uri, FetchOptions options) throws InterruptedException {
        return fetch(uri, options, 0).outcome();
    }

    /**
     * What fetching came to, and the first bytes of a successful answer's decoded body.
     *
     * @param body null unless the final answer was a 2xx with a body and some was asked to be kept
     */
    public record Fetched(FetchOutcome outcome, byte[] body, int bodyLength) {
    }

    /** @param keepBytes how much of a 2xx answer's decoded body to keep (for extraction); 0 for none */
    public Fetched fetch(URI uri, FetchOptions options, int keepBytes) throws InterruptedException {
        return fetch(uri, options, keepBytes, NO_DEADLINE);
    }

    /**
     * @param untilNanos a {@link System#nanoTime()} the fetch must be over by (the invocation's own end): no attempt
     *                   runs past it (one cut short ends {@code timeout}) and no retry starts that could not end by it,
     *                   or {@link #NO_DEADLINE}
     */
    public Fetched fetch(URI uri, FetchOptions options, int keepBytes, long untilNanos) throws InterruptedException {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        Attempt last = null;
        int attempts = 0;
        for (int attempt = 0; attempt <= options.retries(); attempt++) {
            if (attempt > 0) {
                long ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << (attempt - 1));
                long backoff = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
                // A server that says when to come back is believed, up to the cap.
                long asked = last.retryAfter() == null ? 0 : Math.min(last.retryAfter().toMillis(), retryAfterCap.toMillis());
                long wait = Math.max(backoff, asked);
                if (untilNanos != NO_DEADLINE
                        && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait + options.timeoutMs()) - untilNanos > 0) {
                    break;
                }
                Thread.sleep(wait);
            }
            attempts++;
            last = attemptOnce(uri, options, keepBytes, untilNanos);
            if (!last.retryable()) {
                break;
            }
        }
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        RowStatus status = last.errorCode() == null ? RowStatus.OK : RowStatus.ERROR;
        FetchOutcome outcome = new FetchOutcome(status, last.httpStatus(), last.finalUrl(), last.contentType(),
                last.body() == null ? 0 : last.body().bytes(), elapsed, attempts, started, last.errorCode(),
                last.errorMessage());
        boolean keep = status == RowStatus.OK && last.body() != null && last.body().keptLength() > 0;
        return new Fetched(outcome, keep ? last.body().kept() : null, keep ? last.body().keptLength() : 0);
    }

    /**
     * @param body       the answer's body as read, or null when none was read
     * @param retryAfter how long the server asked to wait before trying again, or null
     */
    private record Attempt(Integer httpStatus, String finalUrl, String contentType, LimitedBody.Body body,
                           String errorCode, String errorMessage, boolean retryable, Duration retryAfter) {
        Attempt(Integer httpStatus, String finalUrl, String contentType, LimitedBody.Body body, String errorCode,
                String errorMessage, boolean retryable) {
            this(httpStatus, finalUrl, contentType, body, errorCode, errorMessage, retryable, null);
        }

        static Attempt error(String code, String message, boolean retryable, String finalUrl) {
            return new Attempt(null, finalUrl, null, null, code, message, retryable);
        }
    }

    private Attempt attemptOnce(URI start, FetchOptions options, int keepBytes, long untilNanos) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs());
        if (untilNanos != NO_DEADLINE && untilNanos - deadline < 0) {
            deadline = untilNanos;
        }
        URI uri = start;
        Origin given = Origin.of(start);
        boolean sendCredentials = true;
        for (int hop = 0; ; hop++) {
            TargetPolicy.Verdict verdict = policy.check(uri);
            if (verdict instanceof TargetPolicy.Verdict.Refused refused) {
                return Attempt.error(refused.code(), refused.reason(), false, uri.toString());
            }
            // Once dropped they stay dropped: a redirect back to the origin was chosen by another site, not the client.
            sendCredentials &= Origin.of(uri).equals(given);
            InetAddress checked = ((TargetPolicy.Verdict.Allowed) verdict).address();
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0) {
                return Attempt.error("timeout", TIMEOUT_MESSAGE, true, uri.toString());
            }
            HttpRequest request;
            try {
                HttpRequest.Builder builder = requestTo(uri, checked)
                        .method(options.method(), HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofMillis(remainingMs))
                        .header("User-Agent", USER_AGENT)
                        .header("Accept-Encoding", ACCEPT_ENCODING);
                headersFor(options.headers(), sendCredentials).forEach(builder::setHeader);
                request = builder.build();
            } catch (IllegalArgumentException e) {
                // The HTTP client refuses this URL or header; one row says so rather than the chunk failing forever.
                return Attempt.error("invalid_url", "the request cannot be sent: " + e.getMessage(), false, uri.toString());
            }
            CompletableFuture<HttpResponse<LimitedBody.Body>> exchange = client.sendAsync(request, info ->
                    new LimitedBody(options.maxBytes(), info.statusCode() / 100 == 2 ? keepBytes : 0,
                            info.headers().firstValue("content-encoding").orElse(null)));
            HttpResponse<LimitedBody.Body> response;
            try {
                response = exchange.get(remainingMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                return Attempt.error("timeout", TIMEOUT_MESSAGE, true, uri.toString());
            } catch (InterruptedException e) {
                exchange.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                return failure(e.getCause(), uri);
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("location").orElse(null);
            if (options.followRedirects() && isRedirect(status) && location != null) {
                if (hop >= FetchOptions.MAX_REDIRECTS) {
                    return new Attempt(status, uri.toString(), null, null, "too_many_redirects",
                            "more than " + FetchOptions.MAX_REDIRECTS + " redirects", false);
                }
                String resolved = resolve(uri, location);
                String target = resolved == null ? location : resolved;
                URI next = parseUsable(resolved);
                if (next == null && TargetPolicy.namesNonPublicAddress(target)) {
                    // As a hop the policy refuses ends: the URL it would have gone to, and no answer of its own.
                    return Attempt.error("blocked_target", "the host names a non-public address", false, target);
                }
                if (next == null) {
                    return new Attempt(status, uri.toString(), null, null, "invalid_url",
                            "the redirect points to an unusable URL", false);
                }
                uri = next;
                continue;
            }
            String contentType = response.headers().firstValue("content-type").orElse(null);
            LimitedBody.Body body = response.body();
            if (status >= 200 && status < 300) {
                return new Attempt(status, uri.toString(), contentType, body, null, null, false);
            }
            boolean retryable = status == 429 || status >= 500;
            Duration retryAfter = status == 429 || status == 503
                    ? retryAfter(response.headers().firstValue("retry-after").orElse(null)) : null;
            return new Attempt(status, uri.toString(), contentType, body, "http_error", "HTTP " + status, retryable,
                    retryAfter);
        }
    }

    /** The job's headers for one hop: all of them, or all but the credentials. */
    static Map<String, String> headersFor(Map<String, String> headers, boolean sendCredentials) {
        if (sendCredentials) {
            return headers;
        }
        Map<String, String> withoutCredentials = new LinkedHashMap<>(headers);
        withoutCredentials.keySet().removeIf(name -> CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
        return withoutCredentials;
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = java.time.ZonedDateTime.parse(text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (java.time.format.DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * A request to a URL the policy allowed: an http URL goes to the address the policy checked (the site's name in
     * Host), so the client cannot look the name up again; https is checked again by the connect tunnel.
     *
     * @param checked the address the policy checked, or null when it allowed the host by name
     */
    static HttpRequest.Builder requestTo(URI uri, InetAddress checked) {
        if (checked == null || !uri.getScheme().equalsIgnoreCase("http")) {
            return HttpRequest.newBuilder(uri);
        }
        return HttpRequest.newBuilder(pinned(uri, checked))
                .setHeader("Host", uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
    }

    /**
     * The error code of the connect tunnel's refusal ({@code blocked_target} when the target changed between the
     * check and the connect, {@code dns_failure}, {@code connect_failed}), or null when the failure is not the tunnel's.
     */
    static String tunnelErrorCode(Throwable cause) {
        if (!(cause instanceof IOException) || cause.getMessage() == null || !cause.getMessage().startsWith(TUNNEL_REFUSED)) {
            return null;
        }
        return switch (cause.getMessage().substring(TUNNEL_REFUSED.length()).strip()) {
            case "" + ConnectTunnel.BLOCKED -> "blocked_target";
            case "" + ConnectTunnel.UNRESOLVED -> "dns_failure";
            default -> "connect_failed";
        };
    }

    /** The same http URL with the checked address in place of the host name, so the client cannot look it up again. */
    static URI pinned(URI uri, InetAddress address) {
        String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return URI.create("http://" + literal + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String resolve(URI base, String location) {
        try {
            return base.resolve(new URI(location)).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static Attempt failure(Throwable cause, URI uri) {
        String url = uri.toString();
        String code = errorCode(cause);
        return switch (code) {
            case "too_large" -> Attempt.error(code, cause.getMessage(), false, url);
            case "timeout" -> Attempt.error(code, TIMEOUT_MESSAGE, true, url);
            case "tls_error" -> Attempt.error(code, "TLS handshake failed", false, url);
            case "blocked_target" -> Attempt.error(code, "the host resolves to a non-public address", false, url);
            case "dns_failure" -> Attempt.error(code, "the host name does not resolve", false, url);
            default -> Attempt.error(code, cause instanceof ConnectException || tunnelErrorCode(cause) != null
                    ? "the connection was refused or failed"
                    : cause instanceof IOException ? "the connection failed: " + cause.getClass().getSimpleName()
                    : "the request failed: " + cause.getClass().getSimpleName(), true, url);
        };
    }

    /**
     * The row's error code for an exchange that failed: {@code too_large}, {@code timeout}, {@code tls_error}, the
     * connect tunnel's refusals, else {@code connect_failed}. Webhook attempts are reported with the same codes.
     */
    static String errorCode(Throwable cause) {
        if (cause instanceof LimitedBody.TooLargeException) {
            return "too_large";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof SSLException) {
            return "tls_error";
        }
        String tunnelError = tunnelErrorCode(cause);
        return tunnelError != null ? tunnelError : "connect_failed";
    }
}
