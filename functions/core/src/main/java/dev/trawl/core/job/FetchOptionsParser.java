package dev.trawl.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.JsonFields;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code defaults} object, and the same fields when an input entry overrides them. */
public final class FetchOptionsParser {
    /** The fields of {@code defaults} that an entry may override. */
    public static final Set<String> FIELDS = Set.of("timeout_ms", "retries", "headers", "method", "follow_redirects",
            "max_bytes", "per_host_concurrency", "respect_robots", "extract");


    private static final Set<String> REFUSED_HEADERS = Set.of("host", "connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "content-length",
            "expect");
    private static final int MAX_HEADERS = 50;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final long MAX_BYTES_LIMIT = 50L * 1024 * 1024;

    private FetchOptionsParser() {
    }

    /**
     * Applies the fields present in {@code overrides} on top of {@code base}.
     *
     * @param path where {@code overrides} sits in the request, for error messages
     * @param allowed which field names may appear besides the fetch options (e.g. {@code url} and {@code meta} in an entry)
     */
    public static FetchOptions apply(FetchOptions base, JsonNode overrides, String path, Set<String> allowed) {
        int timeoutMs = base.timeoutMs();
        int retries = base.retries();
        Map<String, String> headers = base.headers();
        String method = base.method();
        boolean followRedirects = base.followRedirects();
        long maxBytes = base.maxBytes();
        int perHost = base.perHostConcurrency();
        boolean respectRobots = base.respectRobots();
        var names = overrides.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = overrides.get(name);
            String field = JsonFields.join(path, name);
            if (allowed.contains(name)) {
                continue;
            }
            switch (name) {
                case "timeout_ms" -> timeoutMs = (int) JsonFields.integer(value, field, 1_000, 120_000);
                case "retries" -> retries = (int) JsonFields.integer(value, field, 0, 5);
                case "headers" -> headers = headers(value, field);
                case "method" -> method = method(value, field);
                case "follow_redirects" -> followRedirects = JsonFields.bool(value, field);
                case "max_bytes" -> maxBytes = JsonFields.integer(value, field, 1, MAX_BYTES_LIMIT);
                case "per_host_concurrency" -> perHost = (int) JsonFields.integer(value, field, 1, 64);
                case "respect_robots" -> respectRobots = JsonFields.bool(value, field);
                case "extract" -> throw new InvalidInput(field, "'extract' is set once for the job, in defaults: "
                        + "its fields are the result's columns, so an entry cannot change them.");
                default -> throw new InvalidInput(field, "Unknown field '" + field + "': the service cannot honour it.");
            }
        }
        return new FetchOptions(timeoutMs, retries, headers, method, followRedirects, maxBytes, perHost, respectRobots);
    }

    private static String method(JsonNode value, String field) {
        String method = JsonFields.text(value, field, 10);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new InvalidInput(field, field + " must be GET or HEAD.");
        }
        return method;
    }

    private static Map<String, String> headers(JsonNode value, String field) {
        JsonFields.object(value, field);
        if (value.size() > MAX_HEADERS) {
            throw new InvalidInput(field, field + " may hold at most " + MAX_HEADERS + " headers.");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int bytes = 0;
        var entries = value.fields();
        while (entries.hasNext()) {
            var entry = entries.next();
            String name = entry.getKey();
            String headerField = field + "." + name;
            if (!isToken(name)) {
                throw new InvalidInput(headerField, "'" + name + "' is not a valid header name.");
            }
            if (REFUSED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidInput(headerField, "The header '" + name + "' may not be set.");
            }
            String headerValue = JsonFields.text(entry.getValue(), headerField, MAX_HEADER_BYTES);
            // The fetcher's HTTP client throws on control and non-Latin-1 characters and sends other non-ASCII ones as '?'.
            if (headerValue.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c > 0x7E)) {
                throw new InvalidInput(headerField, "A header value may hold only printable ASCII characters and tabs.");
            }
            bytes += name.getBytes(StandardCharsets.UTF_8).length + headerValue.getBytes(StandardCharsets.UTF_8).length;
            headers.put(name, headerValue);
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new InvalidInput(field, field + " may hold at most 8 KiB in all.");
        }
        return headers;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (char c : name.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
