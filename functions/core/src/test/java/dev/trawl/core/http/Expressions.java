package dev.trawl.core.http;

import java.util.Collections;
import java.util.random.RandomGenerator;

/**
 * CSS selectors, JSON pointers and regular expressions from valid to pathological: nested deep enough to exhaust a
 * recursive parser, with repetition counts past int, and simply broken.
 */
final class Expressions {
    private static final String[] CSS = {"title", "[[", "a[", "a]", "div:nth-child(999999999999n)", ":matches(a)",
            "[href~=x]", "a:has(b:has(c))", "\u0000", "p:contains(", ":has()", ":not()", "a >", "> a", ",", "a,,b",
            "*|*", "ns|a", "a:eq(-1)", "a:lt(2147483648)", ":containsOwn(\"x\")", "a:nth-of-type(n+)", "#", ".", "a\\"};
    private static final String[] POINTERS = {"a", "/~2", "/~", "~1", "//", "/-", "/0/-1", "/\u0000", "/%25"};
    private static final String[] REGEXES = {"(", ")", "[z-a]", "\\", "(?<name", "\\p{IsNope}", "a{999999999}",
            "a{1,2147483648}", "a{2147483647,2147483647}", "((a*)*)*b", "(?", "[", "x{2}{3}", "\\Q", "*", "+?+",
            "(?i)(?u)(?x) # comment", "\\k<nope>", "\\1", "(?<a>x)(?<a>y)", "[\\p{L}&&[^\\p{Lu}]]", "\\x{110000}"};

    private Expressions() {
    }

    static Gen<String> of(String form) {
        String[] broken = switch (form) {
            case "css" -> CSS;
            case "json" -> POINTERS;
            default -> REGEXES;
        };
        return Gen.frequency(
                Gen.weight(40, Gen.elements(broken)),
                Gen.weight(25, random -> nested(form, random)),
                Gen.weight(20, HostileText.SHORT),
                Gen.weight(10, random -> HostileText.sized(random, random.nextInt(990, 1_011))),
                Gen.weight(5, random -> String.join(form.equals("css") ? ", " : "|",
                        Collections.nCopies(random.nextInt(100, 400), form.equals("json") ? "/a" : "a"))));
    }

    /** An expression nested as deep as the 1,000-character limit allows, or somewhat past it. */
    private static String nested(String form, RandomGenerator random) {
        String[] opens = switch (form) {
            case "css" -> new String[]{":has(", ":not(", ":is(", "a:has(> ", ":not(:has("};
            case "json" -> new String[]{"/a", "/~0", "/~1", "/0"};
            default -> new String[]{"(", "(?:", "(?=", "(?<n>", "[", "(a|"};
        };
        String open = opens[random.nextInt(opens.length)];
        String close = switch (open) {
            case ":not(:has(" -> "))";
            case "[" -> "]";
            default -> open.endsWith("(") || open.startsWith("(") ? ")" : "";
        };
        int depth = random.nextInt(1, 1_050 / (open.length() + close.length()) + 1);
        String core = form.equals("json") ? "" : "a";
        return open.repeat(depth) + core + (random.nextInt(4) == 0 ? "" : close.repeat(depth));
    }
}
