package dev.trawl.core.http;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * Text that trips parsers up: control and format characters, lone surrogates, emoji, right-to-left and zero-width
 * marks, look-alike digits and letters, bytes that were never UTF-8, and strings far past any limit.
 */
final class HostileText {
    /** Characters whose case mapping or digit value surprises code that assumes ASCII. */
    private static final String LOOKALIKES = "İıſKﬀ٣٥０９Ⅻ²";
    private static final String MARKS = "\u200B\u200C\u200D\u2060\uFEFF\u202E\u202B\u202A\u200F\u061C\u0301\u0336";
    private static final String SPACES = "\u00A0\u2028\u2029\u3000\u0085\u1680\t\r\n\u000B\f";
    private static final String SYNTAX = "\"\\{}[],:/%&=?#;.+*()|^$'<>`~!@ ";
    private static final String[] WORDS = {"null", "undefined", "NaN", "-0", "1e309", "true", "__proto__", "constructor",
            "../../etc/passwd", "..", "%00", "%2F", "%zz", "%", "%u0041", "' OR 1=1 --", "<script>alert(1)</script>",
            "${jndi:ldap://x/a}", "{{7*7}}", "\u0000", "שלום", "مرحبا", "👩‍👩‍👧‍👦", "🏳️‍🌈", "Z̷̢͓a̸l̵g̶o",
            "https://例え.テスト/パス?q=値", "http://[::1]/", "http://169.254.169.254/latest", "file:///etc/passwd",
            "javascript:alert(1)", "data:text/html,x", "\uD800", "\uDFFF", "\uDBFF\uDFFF", "\uFFFE", "\uFFFF"};

    private HostileText() {
    }

    /** Mostly short, now and then long, rarely tens of thousands of characters. */
    static final Gen<String> ANY = Gen.frequency(
            Gen.weight(40, soup(0, 24)),
            Gen.weight(15, Gen.elements(WORDS)),
            Gen.weight(10, soup(25, 400)),
            Gen.weight(10, HostileText::fromBytes),
            Gen.weight(5, Gen.oneOf(Gen.elements(WORDS), soup(0, 8)).map(s -> s.repeat(3))),
            Gen.weight(2, soup(1_000, 70_000)));

    /** Short hostile text, for names and values that many of a request hold. */
    static final Gen<String> SHORT = Gen.frequency(
            Gen.weight(60, soup(0, 16)),
            Gen.weight(30, Gen.elements(WORDS)),
            Gen.weight(10, HostileText::fromBytes));

    static Gen<String> soup(int minLength, int maxLength) {
        return text(minLength, maxLength, true);
    }

    /**
     * The same mix without lone surrogates: text that UTF-8 can carry, as every body that reaches the service through
     * its gateway is, however odd its characters.
     */
    static Gen<String> unicode(int minLength, int maxLength) {
        return text(minLength, maxLength, false);
    }

    private static Gen<String> text(int minLength, int maxLength, boolean loneSurrogates) {
        return random -> {
            int length = random.nextInt(minLength, maxLength + 1);
            StringBuilder out = new StringBuilder(length);
            while (out.length() < length) {
                int c = codePoint(random);
                if (loneSurrogates || !Character.isSurrogate((char) c) || c > 0xFFFF) {
                    out.appendCodePoint(c);
                }
            }
            return out.toString();
        };
    }

    private static int codePoint(RandomGenerator random) {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> random.nextInt(0x20, 0x7F);
            case 3 -> random.nextBoolean() ? random.nextInt(0x00, 0x20) : random.nextInt(0x7F, 0xA0);
            case 4 -> SYNTAX.charAt(random.nextInt(SYNTAX.length()));
            case 5 -> random.nextInt(0xA0, 0xD800);
            case 6 -> random.nextInt(0xD800, 0xE000); // a lone surrogate: no valid UTF-8 encodes it
            case 7 -> random.nextInt(0x1F300, 0x1FAFF);
            case 8 -> MARKS.charAt(random.nextInt(MARKS.length()));
            case 9 -> SPACES.charAt(random.nextInt(SPACES.length()));
            case 10 -> LOOKALIKES.codePointAt(LOOKALIKES.offsetByCodePoints(0,
                    random.nextInt(LOOKALIKES.codePointCount(0, LOOKALIKES.length()))));
            default -> random.nextInt(0xE000, 0x110000);
        };
    }

    /** Random bytes read as UTF-8 (malformed sequences become U+FFFD) or as Latin-1 (each byte one character). */
    static String fromBytes(RandomGenerator random) {
        byte[] bytes = new byte[random.nextInt(0, 64)];
        random.nextBytes(bytes);
        return new String(bytes, random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** A string of exactly {@code length} characters, built cheaply, for bodies around a size limit. */
    static String sized(RandomGenerator random, int length) {
        String unit = random.nextBoolean() ? "a" : random.nextBoolean() ? "é" : "\"\\u0000";
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }
}
