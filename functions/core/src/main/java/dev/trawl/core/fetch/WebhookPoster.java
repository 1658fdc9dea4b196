package dev.trawl.core.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a webhook event under the same target policy as fetches (at connect time too), without following
 * redirects: a receiver answers for itself. Any answer but 2xx, or none within the time-out, is a failed attempt.
 */
public final class WebhookPoster {
    /** The contract's limit: no answer within this is a failed attempt. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient client;
    private final TargetPolicy policy;

    public WebhookPoster(HttpClient client, TargetPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    /** A poster for a container's lifetime, with its own connect tunnel. */
    public static WebhookPoster create(TargetPolicy policy) {
        return new WebhookPoster(Fetcher.newHttpClient(ConnectTunnel.start(policy)), policy);
    }

    /**
     * @param httpStatus the answer's status, or null when there was none
     * @param error      why the attempt failed ({@code blocked_target}, {@code timeout}, {@code http_error}, …), or null
     */
    public record Result(Integer httpStatus, long latencyMs, String error) {
        public boolean delivered() {
            return error == null;
        }

        /** A target the policy refuses, or a URL that cannot be sent to, will not change by trying again. */
        public boolean worthRetrying() {
            return WebhookPoster.worthRetrying(error);
        }
    }

    /** Whether an attempt that failed with {@code error} may succeed later: a refused or unusable target will not. */
    public static boolean worthRetrying(String error) {
        return error != null && !error.equals("blocked_target") && !error.equals("invalid_url");
    }

    public Result post(String url, Map<String, String> headers, String body) throws InterruptedException {
        long started = System.nanoTime();
        URI uri = Fetcher.parseUsable(url);
        if (uri == null) {
            return new Result(null, 0, "invalid_url");
        }
        TargetPolicy.Verdict verdict = policy.check(uri);
        if (verdict instanceof TargetPolicy.Verdict.Refused refused) {
            return new Result(null, elapsed(started), refused.code());
        }
        InetAddress checked = ((TargetPolicy.Verdict.Allowed) verdict).address();
        HttpRequest.Builder request = Fetcher.requestTo(uri, checked)
                .timeout(TIMEOUT)
                .header("User-Agent", Fetcher.USER_AGENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::setHeader);
        // The answer's body is read and dropped: only its status counts, and the time-out bounds the whole exchange.
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> response = exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            return new Result(status, elapsed(started), status / 100 == 2 ? null : "http_error");
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Result(null, elapsed(started), "timeout");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return new Result(null, elapsed(started), Fetcher.errorCode(e.getCause()));
        }
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
