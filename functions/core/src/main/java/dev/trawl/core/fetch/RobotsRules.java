package dev.trawl.core.fetch;

import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.RowStatus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Decides {@code respect_robots}: each site's robots.txt is fetched once per job in a container (through the
 * same fetcher, so the target policy and redirect limit hold for it too) and kept while the container lives.
 * A robots.txt that cannot be fetched at all (no HTTP answer) does not let the URL through: its row gets the
 * robots.txt fetch's own error, so the cause stays visible. robots.txt is asked for with none of the job's
 * headers: its credentials are meant for the URLs the job names, and robots.txt may redirect anywhere.
 */
public final class RobotsRules {
    /** The product token sites name in {@code User-agent:} lines; the fetcher's User-Agent begins with it. */
    public static final String PRODUCT_TOKEN = "trawl";
    /** Larger files are unusual enough to be taken as refusing everything, rather than read without end. */
    private static final long MAX_ROBOTS_BYTES = 5L * 1024 * 1024;
    private static final FetchOptions ROBOTS_FETCH =
            new FetchOptions(10_000, 1, Map.of(), "GET", true, MAX_ROBOTS_BYTES, 1);
    /** The cache forgets everything past this many sites rather than grow with a long-lived container. */
    private static final int MAX_CACHED = 10_000;

    private final Fetcher fetcher;
    private final Map<String, CompletableFuture<Rules>> cache = new ConcurrentHashMap<>();

    public RobotsRules(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** What a site's robots.txt came to: its rules, or the error that kept it from being read. */
    private record Rules(RobotsTxt robots, String errorCode, String errorMessage) {
    }

    /** Why a URL is not fetched: the row's error code and message. */
    public record Refusal(String code, String message) {
    }

    /**
     * @param untilNanos when the caller's time is up ({@link Fetcher#NO_DEADLINE} for never): robots.txt is fetched
     *                   within it, and a robots.txt cut short by it is not kept, so a later URL tries again
     * @return null when the URL may be fetched, else why not
     */
    public Refusal refusal(String jobId, URI uri, long untilNanos) throws InterruptedException {
        String origin = Origin.of(uri).toString();
        CompletableFuture<Rules> mine = new CompletableFuture<>();
        CompletableFuture<Rules> rules = cache.putIfAbsent(jobId + " " + origin, mine);
        if (rules == null) {
            if (cache.size() > MAX_CACHED) {
                cache.clear();
                cache.put(jobId + " " + origin, mine);
            }
            rules = mine;
            try {
                Rules loaded = load(origin, untilNanos);
                mine.complete(loaded);
                if ("timeout".equals(loaded.errorCode())) {
                    cache.remove(jobId + " " + origin, mine);
                }
            } catch (InterruptedException | RuntimeException e) {
                cache.remove(jobId + " " + origin, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        Rules known;
        try {
            known = rules.get();
        } catch (ExecutionException e) {
            // the fetch of another URL's thread was interrupted: this one tries itself next time
            cache.remove(jobId + " " + origin, rules);
            return refusal(jobId, uri, untilNanos);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        if (known.robots() != null) {
            return known.robots().allows(pathAndQuery) ? null
                    : new Refusal("robots_disallowed", "the site's robots.txt disallows this URL for Trawl");
        }
        // The site itself is refused or unknown: its row says so as a fetch would, robots.txt aside.
        boolean siteRefused = Set.of("blocked_target", "dns_failure", "invalid_url").contains(known.errorCode());
        return new Refusal(known.errorCode(),
                siteRefused ? known.errorMessage() : "robots.txt could not be fetched: " + known.errorMessage());
    }

    private Rules load(String origin, long untilNanos) throws InterruptedException {
        Fetcher.Fetched fetched = fetcher.fetch(URI.create(origin + "/robots.txt"), ROBOTS_FETCH, RobotsTxt.MAX_PARSED_BYTES,
                untilNanos);
        FetchOutcome outcome = fetched.outcome();
        if (outcome.status() == RowStatus.OK) {
            String body = fetched.body() == null ? "" : new String(fetched.body(), 0, fetched.bodyLength(), StandardCharsets.UTF_8);
            return new Rules(RobotsTxt.forResponse(outcome.httpStatus(), body, PRODUCT_TOKEN), null, null);
        }
        if (outcome.httpStatus() != null) {
            return new Rules(RobotsTxt.forResponse(outcome.httpStatus(), null, PRODUCT_TOKEN), null, null);
        }
        if (outcome.errorCode().equals("too_large")) {
            return new Rules(RobotsTxt.disallowAll(), null, null);
        }
        return new Rules(null, outcome.errorCode(), outcome.errorMessage());
    }
}
