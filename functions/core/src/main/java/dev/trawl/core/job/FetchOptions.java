package dev.trawl.core.job;

import java.util.Map;

/**
 * How one URL is fetched: the job's {@code defaults}, possibly overridden by its input entry.
 * Values are validated by {@link dev.trawl.core.job.FetchOptionsParser} before one of these exists.
 */
public record FetchOptions(
        int timeoutMs,
        int retries,
        Map<String, String> headers,
        String method,
        boolean followRedirects,
        long maxBytes,
        int perHostConcurrency,
        boolean respectRobots) {

    public static final int MAX_REDIRECTS = 5;

    public static final FetchOptions DEFAULTS =
            new FetchOptions(30_000, 2, Map.of(), "GET", true, 10L * 1024 * 1024, 8, false);

    public FetchOptions {
        headers = Map.copyOf(headers);
    }

    public FetchOptions(int timeoutMs, int retries, Map<String, String> headers, String method, boolean followRedirects,
                        long maxBytes, int perHostConcurrency) {
        this(timeoutMs, retries, headers, method, followRedirects, maxBytes, perHostConcurrency, false);
    }
}
