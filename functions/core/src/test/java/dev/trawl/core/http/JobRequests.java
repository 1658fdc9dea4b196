package dev.trawl.core.http;

import dev.trawl.core.http.JsonText.Arr;
import dev.trawl.core.http.JsonText.Member;
import dev.trawl.core.http.JsonText.Obj;
import dev.trawl.core.http.JsonText.Raw;

import java.util.Collections;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/jobs} bodies that the contract accepts, every optional field sometimes present, built as
 * {@link JsonText} so that a property can break them one piece at a time.
 */
final class JobRequests {
    private static final String[] URLS = {"https://example.com/a", "http://example.com:8080/p?q=1#f", "not a url",
            "ftp://example.com/x", "https://例え.テスト/パス", "https://example.com/" + "x".repeat(2_000), ""};
    private static final String[] HEADER_NAMES = {"Accept-Language", "X-Test", "user-agent", "Accept", "X-A_b.c~!#$%&'*+^`|"};
    private static final String[] SELECTORS = {"title", "h1", "div > p.price", "meta[property=og:title]", "a[href]",
            "ul li:nth-child(2n+1)", "span:has(> b)", "*", "p:contains(\"matches\")"};
    private static final String[] POINTERS = {"", "/", "/a", "/items/0/price", "/a~1b/c~0d", "/ü/😀"};
    private static final String[] PATTERNS = {"(\\d+)", "price: (\\S+)", "a", "(?<name>x)(y)?", "[^<]{1,50}", "é|😀"};
    private static final String[] FILTERS = {"^https://example\\.com/", "\\.html$", "", "(a|b)+", "[^/]+/x", "(?i)ÉTÉ"};
    private static final String[] TYPES = {"string", "number", "integer", "boolean"};

    private JobRequests() {
    }

    /** A request the contract accepts; {@code readyUploadId}, when given, is sometimes the input instead of URLs. */
    static Obj valid(RandomGenerator random, String readyUploadId) {
        Obj root = new Obj();
        maybe(random, root, "name", () -> HostileText.unicode(1, 60).next(random));
        root.with("input", readyUploadId != null && random.nextInt(5) == 0
                ? new Obj().with("upload_id", readyUploadId) : new Obj().with("urls", entries(random)));
        maybe(random, root, "defaults", () -> defaults(random));
        maybe(random, root, "concurrency", () -> whole(random, 1, 256));
        maybe(random, root, "output", () -> output(random));
        maybe(random, root, "max_errors", () -> random.nextBoolean() ? whole(random, 0, 1_000_000)
                : random.nextInt(100) + (random.nextBoolean() ? "" : "." + random.nextInt(10_000)) + "%");
        maybe(random, root, "regex_filter", () -> pick(random, FILTERS));
        maybe(random, root, "max_urls", () -> whole(random, 0, 1_000_000));
        maybe(random, root, "dry_run", random::nextBoolean);
        maybe(random, root, "max_lifetime_s", () -> whole(random, 1, 86_400));
        maybe(random, root, "download_url_ttl_s", () -> whole(random, 60, 2_592_000));
        maybe(random, root, "webhook", () -> null);
        Collections.shuffle(root.members(), random);
        return root;
    }

    private static Arr entries(RandomGenerator random) {
        Arr urls = new Arr();
        int count = random.nextInt(50) == 0 ? CreateJobRequest.MAX_INLINE_URLS : random.nextInt(1, 6);
        for (int i = 0; i < count; i++) {
            urls.items().add(entry(random));
        }
        return urls;
    }

    private static Object entry(RandomGenerator random) {
        Object url = random.nextInt(4) == 0 ? HostileText.unicode(0, 40).next(random) : pick(random, URLS);
        if (random.nextBoolean()) {
            return url;
        }
        Obj entry = new Obj().with("url", url);
        maybe(random, entry, "meta", () -> meta(random));
        fetchOptions(random, entry);
        Collections.shuffle(entry.members(), random);
        return entry;
    }

    /** A small meta object, well within 2 KiB however its text is escaped. */
    private static Obj meta(RandomGenerator random) {
        Obj meta = new Obj();
        for (int i = random.nextInt(0, 5); i > 0; i--) {
            Object value = switch (random.nextInt(5)) {
                case 0 -> random.nextLong();
                case 1 -> random.nextBoolean();
                case 2 -> null;
                case 3 -> Arr.of(1, "two", new Obj());
                default -> HostileText.unicode(0, 16).next(random);
            };
            meta.with(HostileText.unicode(0, 12).next(random), value);
        }
        return meta;
    }

    private static Obj defaults(RandomGenerator random) {
        Obj defaults = new Obj();
        fetchOptions(random, defaults);
        maybe(random, defaults, "extract", () -> extract(random));
        return defaults;
    }

    private static void fetchOptions(RandomGenerator random, Obj into) {
        maybe(random, into, "timeout_ms", () -> whole(random, 1_000, 120_000));
        maybe(random, into, "retries", () -> whole(random, 0, 5));
        maybe(random, into, "headers", () -> headers(random));
        maybe(random, into, "method", () -> random.nextBoolean() ? "GET" : "HEAD");
        maybe(random, into, "follow_redirects", random::nextBoolean);
        maybe(random, into, "max_bytes", () -> whole(random, 1, 50 * 1024 * 1024));
        maybe(random, into, "per_host_concurrency", () -> whole(random, 1, 64));
        maybe(random, into, "respect_robots", random::nextBoolean);
    }

    private static Obj headers(RandomGenerator random) {
        Obj headers = new Obj();
        for (int i = random.nextInt(0, 4); i > 0; i--) {
            StringBuilder value = new StringBuilder();
            for (int c = random.nextInt(0, 40); c > 0; c--) {
                value.append(random.nextInt(10) == 0 ? '\t' : (char) random.nextInt(0x20, 0x7F));
            }
            headers.with(pick(random, HEADER_NAMES) + i, value.toString());
        }
        return headers;
    }

    static Obj extract(RandomGenerator random) {
        Obj extract = new Obj();
        for (int i = random.nextInt(0, 5); i > 0; i--) {
            extract.with("f" + i + (random.nextBoolean() ? "_Price" : ""), spec(random));
        }
        return extract;
    }

    private static Object spec(RandomGenerator random) {
        Obj spec = new Obj();
        switch (random.nextInt(4)) {
            case 0 -> {
                return pick(random, TYPES);
            }
            case 1 -> {
                spec.with("css", pick(random, SELECTORS));
                maybe(random, spec, "attr", () -> random.nextBoolean() ? "content" : "abs:href");
            }
            case 2 -> spec.with("json", pick(random, POINTERS));
            default -> {
                String pattern = pick(random, PATTERNS);
                spec.with("regex", pattern);
                int groups = Pattern.compile(pattern).matcher("").groupCount();
                maybe(random, spec, "group", () -> random.nextInt(groups + 1));
            }
        }
        maybe(random, spec, "all", random::nextBoolean);
        maybe(random, spec, "type", () -> pick(random, TYPES));
        return spec;
    }

    private static Obj output(RandomGenerator random) {
        Obj output = new Obj();
        String format = pick(random, "ndjson", "csv", "parquet");
        maybe(random, output, "format", () -> format);
        if (!format.equals("parquet") || output.members().isEmpty()) {
            maybe(random, output, "gzip", random::nextBoolean);
        }
        return output;
    }

    /** A whole number in range, sometimes spelt as JSON allows but few clients write: {@code 3e4}, {@code 30000.0}. */
    private static Object whole(RandomGenerator random, long min, long max) {
        long value = random.nextInt(4) == 0 ? (random.nextBoolean() ? min : max) : random.nextLong(min, max + 1);
        return switch (random.nextInt(6)) {
            case 0 -> new Raw(value + ".0");
            case 1 -> new Raw(value == 0 ? "-0" : value % 10 == 0 ? (value / 10) + "e1" : value + "E0");
            default -> value;
        };
    }

    @SafeVarargs
    private static <T> T pick(RandomGenerator random, T... values) {
        return values[random.nextInt(values.length)];
    }

    private static void maybe(RandomGenerator random, Obj into, String key, Supplier<Object> value) {
        if (random.nextBoolean()) {
            into.members().add(new Member(key, value.get()));
        }
    }
}
