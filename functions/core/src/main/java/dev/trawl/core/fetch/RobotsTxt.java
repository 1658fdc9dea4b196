package dev.trawl.core.fetch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules one robots.txt sets for one crawler (RFC 9309), ready to answer whether a URL path may be fetched.
 *
 * <p>Reading a file:
 * <ul>
 *   <li>Only the first {@link #MAX_PARSED_BYTES} (500 KiB, RFC 9309 §2.5's minimum) of UTF-8 are read, and a
 *       line cut by that limit is dropped rather than read truncated.</li>
 *   <li>Lines end in CR, LF or CRLF; a leading byte-order mark, {@code #} comments, blank lines, surrounding
 *       whitespace, lines without a colon, {@code sitemap} and unknown keys are ignored. Keys are
 *       case-insensitive; {@code useragent} and {@code user agent} are read as {@code user-agent}, and
 *       {@code dissallow}, {@code dissalow}, {@code disalow}, {@code diasllow}, {@code disallaw} as
 *       {@code disallow}: the typos Google's parser accepts, which site owners therefore test against.</li>
 *   <li>A group is a run of {@code user-agent} lines and the rules after it; a {@code user-agent} line after a
 *       rule starts a new group. Rules before the first {@code user-agent} belong to no group.</li>
 *   <li>A {@code user-agent} value names a crawler by the letters, {@code _} and {@code -} it starts with,
 *       compared case-insensitively to the product token: {@code Trawl/1.0} and {@code trawl (+info)} name
 *       {@code trawl}; {@code trawl-bot} and {@code trawlbot} name other crawlers. {@code *} names every
 *       crawler.</li>
 *   <li>All groups naming the product token are merged; if none does, all {@code *} groups are; if neither
 *       exists, everything is allowed. A named group without rules allows everything, whatever {@code *}
 *       says.</li>
 *   <li>The longest matching pattern decides, {@code allow} on a tie; no match allows. An empty
 *       {@code allow:} or {@code disallow:} is no rule (but still ends the run of user-agent lines).</li>
 * </ul>
 * Patterns and paths are compared in one canonical percent-encoding; see {@link RobotsPattern}.
 */
public final class RobotsTxt {
    /** How much of a robots.txt is read, in UTF-8 bytes; a fetch of one needs no more than this. */
    public static final int MAX_PARSED_BYTES = 500 * 1024;

    private static final Pattern PRODUCT_TOKEN = Pattern.compile("[A-Za-z_-]+");
    private static final Pattern DECIMAL_SECONDS = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");

    private static final RobotsTxt ALLOW_ALL = new RobotsTxt(List.of(), null);
    private static final RobotsTxt DISALLOW_ALL =
            new RobotsTxt(List.of(new Rule(false, RobotsPattern.of("/"))), null);

    private record Rule(boolean allow, RobotsPattern pattern) {
        // Most specific first, allow before disallow: the first rule that matches is the one that decides.
        static final Comparator<Rule> PRECEDENCE = Comparator
                .comparingInt((Rule rule) -> rule.pattern().specificity()).reversed()
                .thenComparing(rule -> !rule.allow());
    }

    private enum Key { USER_AGENT, ALLOW, DISALLOW, CRAWL_DELAY, OTHER }

    private static final class Group {
        final List<String> agents = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        Duration crawlDelay;
        boolean hasRuleLines;
    }

    private final List<Rule> rulesByPrecedence;
    private final Duration crawlDelay;

    private RobotsTxt(List<Rule> rules, Duration crawlDelay) {
        this.rulesByPrecedence = rules.stream().sorted(Rule.PRECEDENCE).toList();
        this.crawlDelay = crawlDelay;
    }

    public static RobotsTxt allowAll() {
        return ALLOW_ALL;
    }

    public static RobotsTxt disallowAll() {
        return DISALLOW_ALL;
    }

    /** For a robots.txt that could not be fetched at all (connection failure, timeout): RFC 9309 §2.3.1.4. */
    public static RobotsTxt unreachable() {
        return DISALLOW_ALL;
    }

    /**
     * What a robots.txt response means, once the caller has followed any redirects (RFC 9309 §2.3.1):
     * <ul>
     *   <li>2xx: the body is parsed (a missing body is an empty file, which allows everything);</li>
     *   <li>3xx, when the caller gave up on the redirects: unavailable, so everything is allowed (§2.3.1.2);</li>
     *   <li>429: unreachable, so nothing is allowed. §2.3.1.3 lumps it in with the "unavailable" 4xx, but it
     *       is the site asking for less traffic, not saying it has no rules; Google treats it like a 5xx too;</li>
     *   <li>every other 4xx: unavailable, so everything is allowed (§2.3.1.3);</li>
     *   <li>5xx and anything else: unreachable, so nothing is allowed (§2.3.1.4).</li>
     * </ul>
     */
    public static RobotsTxt forResponse(int httpStatus, String body, String productToken) {
        requireValidProductToken(productToken);
        if (httpStatus >= 200 && httpStatus <= 299) {
            return parse(body == null ? "" : body, productToken);
        }
        if (httpStatus == 429) {
            return unreachable();
        }
        if (httpStatus >= 300 && httpStatus <= 499) {
            return allowAll();
        }
        return unreachable();
    }

    /**
     * The rules a robots.txt sets for the crawler named by {@code productToken} (letters, {@code _} and
     * {@code -} only, as RFC 9309 §2.2.1 requires).
     */
    public static RobotsTxt parse(String body, String productToken) {
        Objects.requireNonNull(body, "body");
        requireValidProductToken(productToken);
        List<Group> groups = readGroups(withinParseLimit(body));

        List<Group> chosen = groups.stream()
                .filter(group -> group.agents.stream().anyMatch(productToken::equalsIgnoreCase))
                .toList();
        if (chosen.isEmpty()) {
            chosen = groups.stream().filter(group -> group.agents.contains("*")).toList();
        }
        List<Rule> rules = new ArrayList<>();
        Duration crawlDelay = null;
        for (Group group : chosen) {
            rules.addAll(group.rules);
            crawlDelay = longer(crawlDelay, group.crawlDelay);
        }
        return rules.isEmpty() && crawlDelay == null ? ALLOW_ALL : new RobotsTxt(rules, crawlDelay);
    }

    /**
     * Whether the URL with this raw path and query ({@code /a/b?c=d}; empty means {@code /}) may be fetched.
     * {@code /robots.txt} itself always may (RFC 9309 §2.2.2).
     */
    public boolean allows(String pathAndQuery) {
        String path = RobotsPattern.canonicalPath(Objects.requireNonNull(pathAndQuery, "pathAndQuery"));
        int query = path.indexOf('?');
        if ((query < 0 ? path : path.substring(0, query)).equals("/robots.txt")) {
            return true;
        }
        for (Rule rule : rulesByPrecedence) {
            if (rule.pattern().matches(path)) {
                return rule.allow();
            }
        }
        return true;
    }

    /**
     * The {@code crawl-delay} of the chosen group(s) (seconds, decimals allowed; the longest if several), or
     * null when none is set. A {@code crawl-delay} line belongs to the group it is in but, not being a rule,
     * does not end its run of user-agent lines.
     */
    public Duration crawlDelay() {
        return crawlDelay;
    }

    private static List<Group> readGroups(String body) {
        List<Group> groups = new ArrayList<>();
        Group current = null;
        for (String line : (Iterable<String>) body.lines()::iterator) {
            int comment = line.indexOf('#');
            String content = comment < 0 ? line : line.substring(0, comment);
            int colon = content.indexOf(':');
            if (colon < 0) {
                continue;
            }
            Key key = keyOf(content.substring(0, colon));
            String value = content.substring(colon + 1).strip();
            switch (key) {
                case USER_AGENT -> {
                    if (current == null || current.hasRuleLines) {
                        current = new Group();
                        groups.add(current);
                    }
                    current.agents.add(agentName(value));
                }
                case ALLOW, DISALLOW -> {
                    if (current != null) {
                        current.hasRuleLines = true;
                        if (!value.isEmpty()) {
                            current.rules.add(new Rule(key == Key.ALLOW, RobotsPattern.of(value)));
                        }
                    }
                }
                case CRAWL_DELAY -> {
                    if (current != null) {
                        current.crawlDelay = longer(current.crawlDelay, seconds(value));
                    }
                }
                case OTHER -> {
                }
            }
        }
        return groups;
    }

    private static Key keyOf(String rawKey) {
        return switch (rawKey.strip().toLowerCase(Locale.ROOT)) {
            case "user-agent", "useragent", "user agent" -> Key.USER_AGENT;
            case "allow" -> Key.ALLOW;
            case "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw" -> Key.DISALLOW;
            case "crawl-delay" -> Key.CRAWL_DELAY;
            default -> Key.OTHER;
        };
    }

    /**
     * The crawler a {@code user-agent} value names, lower case: {@code *}, or the product token it starts
     * with, so that a full user-agent string or a version ({@code Trawl/1.0}) still names its crawler.
     */
    private static String agentName(String value) {
        if (value.equals("*") || (value.startsWith("*") && Character.isWhitespace(value.charAt(1)))) {
            return "*";
        }
        int end = 0;
        while (end < value.length() && isProductTokenChar(value.charAt(end))) {
            end++;
        }
        return value.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isProductTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    }

    /** Of two delays that may be null; merged groups may each set one, and the longest honours them all. */
    private static Duration longer(Duration a, Duration b) {
        return a == null ? b : b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /** A {@code crawl-delay} value as a duration, or null if it is not a plain decimal number of seconds. */
    private static Duration seconds(String value) {
        if (!DECIMAL_SECONDS.matcher(value).matches()) {
            return null;
        }
        BigDecimal seconds = new BigDecimal(value);
        if (seconds.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Duration.ofSeconds(whole, nanos);
    }

    /**
     * The part of the body within {@link #MAX_PARSED_BYTES} UTF-8 bytes, up to the last whole line: a rule
     * cut short could say something its author never wrote ({@code Allow: /a/b} cut to {@code Allow: /}).
     */
    private static String withinParseLimit(String body) {
        String text = body.startsWith("\uFEFF") ? body.substring(1) : body;
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > MAX_PARSED_BYTES) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        if (end == text.length()) {
            return text;
        }
        char next = text.charAt(end);
        if (next == '\n' || next == '\r') {
            return text.substring(0, end);
        }
        int lastLineEnd = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1));
        return text.substring(0, lastLineEnd + 1);
    }

    private static void requireValidProductToken(String productToken) {
        if (productToken == null || !PRODUCT_TOKEN.matcher(productToken).matches()) {
            throw new IllegalArgumentException("a product token is letters, '_' and '-' only: " + productToken);
        }
    }

    @Override
    public String toString() {
        return "RobotsTxt" + rulesByPrecedence.stream()
                .map(rule -> (rule.allow() ? "allow " : "disallow ") + rule.pattern().text())
                .toList() + (crawlDelay == null ? "" : " crawl-delay " + crawlDelay);
    }
}
