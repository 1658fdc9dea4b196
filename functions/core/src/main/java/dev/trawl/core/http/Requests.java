package dev.trawl.core.http;

import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.submit.Idempotency;
import dev.trawl.core.util.Ids;

import java.net.URI;
import java.util.List;
import java.util.Set;

/** Reading the parts of a request every route shares: its path id, its query, its Idempotency-Key. */
final class Requests {
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private Requests() {
    }

    /** The path's job id; a malformed one can name no job, so it answers as an unknown one does. */
    static String jobId(ApiRequest request) {
        String id = request.pathParameters().get("id");
        if (!Ids.isJobId(id)) {
            throw noSuchJob();
        }
        return id;
    }

    static NotFound noSuchJob() {
        return new NotFound("No job with this id.");
    }

    /**
     * The public base URL of the API the request came to, from the headers API Gateway sets ({@code Host},
     * {@code X-Forwarded-Proto}): links the API hands out point back at it, custom domains included.
     */
    static URI apiBase(ApiRequest request) {
        String host = request.header("host");
        String scheme = request.header("x-forwarded-proto");
        return URI.create((scheme == null ? "https" : scheme.split(",")[0].strip()) + "://"
                + (host == null ? "localhost" : host.strip()));
    }

    /** Null without the header. */
    static Idempotency idempotency(ApiRequest request) {
        String key = request.header("idempotency-key");
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new InvalidInput("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters.");
        }
        return Idempotency.of(key, request.routeKey() + " " + request.pathParameters(), request.body());
    }

    /** A query parameter given at most once; null when absent. */
    static String single(ApiRequest request, String name) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidInput(name, name + " may be given once.");
        }
        return values.getFirst();
    }

    /** A query parameter this route does not take is refused, so that a typo never goes unnoticed. */
    static void onlyQuery(ApiRequest request, Set<String> allowed) {
        for (String name : request.query().keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInput(name, "Unknown query parameter '" + name + "'.");
            }
        }
    }
}
