package dev.trawl.core.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code allow}/{@code disallow} path pattern of a robots.txt, and the one canonical spelling that both a
 * pattern and a URL path are put into before they are compared (RFC 9309 §2.2.2, §2.2.3).
 *
 * <p>Canonical spelling: a percent-escape of an unreserved character ({@code A-Z a-z 0-9 - . _ ~}) is decoded,
 * every other escape keeps its escaping with upper-case hex, and everything outside the URI character set
 * (non-ASCII as UTF-8 octets, controls, space, {@code "<>\^`{|}}, a {@code %} that starts no escape) is
 * escaped. Reserved characters are left as they are written, so {@code %2F} and {@code /} stay different:
 * RFC 3986 §2.2 gives them different meanings, and a rule is written the way the URL is.
 *
 * <p>{@code *} and {@code $} are the two characters a pattern gives a meaning to. In a URL they are spelt
 * {@code %2A} and {@code %24}, so that a pattern can name them literally by their escapes, as RFC 9309 §2.2.3
 * says ({@code /foo-%24} matches the URL {@code /foo-$}).
 */
final class RobotsPattern {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The canonical pattern text, wildcards and anchor included; its length is the rule's specificity. */
    private final String text;
    /** The literal pieces between the {@code *} wildcards; the first is matched at the start of the path. */
    private final List<String> pieces;
    /** Whether the pattern ended in {@code $}, so that its last piece must end the path. */
    private final boolean anchored;

    private RobotsPattern(String text, List<String> pieces, boolean anchored) {
        this.text = text;
        this.pieces = pieces;
        this.anchored = anchored;
    }

    /**
     * The pattern a rule's value (already trimmed, not empty) stands for. A value that starts with neither
     * {@code /} nor {@code *} is read as if it began with {@code /}: {@code Disallow: private/} is meant as
     * {@code /private/}, and read that way by Google.
     */
    static RobotsPattern of(String value) {
        String raw = value.startsWith("/") || value.startsWith("*") ? value : "/" + value;
        boolean anchored = raw.endsWith("$");
        if (anchored) {
            raw = raw.substring(0, raw.length() - 1);
        }
        List<String> pieces = Arrays.stream(raw.split("\\*", -1))
                .map(RobotsPattern::canonical)
                .toList();
        String text = String.join("*", pieces) + (anchored ? "$" : "");
        return new RobotsPattern(text, pieces, anchored);
    }

    /**
     * A URL's raw path and query in canonical spelling: an empty path is {@code /}, and a fragment, which
     * is never sent to a server, is dropped.
     */
    static String canonicalPath(String pathAndQuery) {
        int fragment = pathAndQuery.indexOf('#');
        String withoutFragment = fragment < 0 ? pathAndQuery : pathAndQuery.substring(0, fragment);
        String rooted = withoutFragment.startsWith("/") ? withoutFragment : "/" + withoutFragment;
        return canonical(rooted);
    }

    int specificity() {
        return text.length();
    }

    String text() {
        return text;
    }

    /** Whether a {@link #canonicalPath canonical path} starts with (or, anchored, is) what this pattern spells. */
    boolean matches(String path) {
        String first = pieces.getFirst();
        if (!path.startsWith(first)) {
            return false;
        }
        int last = pieces.size() - 1;
        if (last == 0) {
            return !anchored || path.length() == first.length();
        }
        // With only `*` wildcards, taking each middle piece at its earliest place leaves the most room for
        // the rest, so one left-to-right pass decides the match, with no backtracking to blow up.
        int position = first.length();
        for (int i = 1; i < last; i++) {
            int found = path.indexOf(pieces.get(i), position);
            if (found < 0) {
                return false;
            }
            position = found + pieces.get(i).length();
        }
        String end = pieces.get(last);
        return anchored
                ? path.endsWith(end) && path.length() - end.length() >= position
                : path.indexOf(end, position) >= 0;
    }

    private static String canonical(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                int octet = Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16);
                if (isUnreserved(octet)) {
                    out.append((char) octet);
                } else {
                    appendEscaped(out, octet);
                }
                i += 3;
            } else if (c < 0x80) {
                if (isUnreserved(c) || (isReserved(c) && c != '*' && c != '$')) {
                    out.append(c);
                } else {
                    appendEscaped(out, c);
                }
                i++;
            } else {
                int codePoint = text.codePointAt(i);
                for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
                    appendEscaped(out, b & 0xFF);
                }
                i += Character.charCount(codePoint);
            }
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int octet) {
        out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isReserved(int c) {
        return ":/?#[]@!$&'()*+,;=".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
