package dev.trawl.core.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobotsTxtTest {
    private static final String TOKEN = "trawl";

    private static boolean allows(String robotsTxt, String path) {
        return RobotsTxt.parse(robotsTxt, TOKEN).allows(path);
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** Google's "URL matching based on path values" table, one row per pattern and path. */
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /           | /                                  | true
            /           | /anything/at/all?q=1               | true
            /*          | /                                  | true
            /*          | /anything                          | true
            /$          | /                                  | true
            /$          | /page.htm                          | false
            /$          | /?q=1                              | false
            /fish       | /fish                              | true
            /fish       | /fish.html                         | true
            /fish       | /fish/salmon.html                  | true
            /fish       | /fishheads                         | true
            /fish       | /fishheads/yummy.html              | true
            /fish       | /fish.php?id=anything              | true
            /fish       | /Fish.asp                          | false
            /fish       | /catfish                           | false
            /fish       | /?id=fish                          | false
            /fish       | /desert/fish                       | false
            /fish*      | /fish                              | true
            /fish*      | /fish.html                         | true
            /fish*      | /fishheads/yummy.html              | true
            /fish*      | /fish.php?id=anything              | true
            /fish*      | /Fish.asp                          | false
            /fish*      | /catfish                           | false
            /fish/      | /fish/                             | true
            /fish/      | /fish/?id=anything                 | true
            /fish/      | /fish/salmon.htm                   | true
            /fish/      | /fish                              | false
            /fish/      | /fish.html                         | false
            /fish/      | /animals/fish/                     | false
            /fish/      | /Fish/Salmon.asp                   | false
            fish/       | /fish/salmon.htm                   | true
            fish/       | /animals/fish/                     | false
            /*.php      | /index.php                         | true
            /*.php      | /filename.php                      | true
            /*.php      | /folder/filename.php               | true
            /*.php      | /folder/filename.php?parameters    | true
            /*.php      | /folder/any.php.file.html          | true
            /*.php      | /filename.php/                     | true
            /*.php      | /                                  | false
            /*.php      | /windows.PHP                       | false
            /*.php$     | /filename.php                      | true
            /*.php$     | /folder/filename.php               | true
            /*.php$     | /filename.php?parameters           | false
            /*.php$     | /filename.php/                     | false
            /*.php$     | /filename.php5                     | false
            /*.php$     | /windows.PHP                       | false
            /fish*.php  | /fish.php                          | true
            /fish*.php  | /fishheads/catfish.php?parameters  | true
            /fish*.php  | /Fish.PHP                          | false
            *.gif$      | /images/a.gif                      | true
            *.gif$      | /images/a.gif?v=2                  | false
            /a*b*c$     | /axbxc                             | true
            /a*b*c$     | /abcc                              | true
            /a*b*c$     | /abcx                              | false
            /a*b*c$     | /ac                                | false
            /ab*b$      | /ab                                | false
            /ab*b$      | /abb                               | true
            /a**b       | /a-b                               | true
            /*?sid=     | /shop?sid=1                        | true
            /*?sid=     | /shop?x=1                          | false
            /foo$bar    | /foo$bar                           | true
            /foo$bar    | /foo%24bar                         | true
            /foo$bar    | /foo                               | false
            """)
    void patternMatching(String pattern, String path, boolean matches) {
        assertEquals(!matches, allows(lines("User-agent: *", "Disallow: " + pattern), path));
        assertEquals(matches, !allows(lines("User-agent: trawl", "Allow: /unrelated", "Disallow: " + pattern), path));
    }

    /** The longest pattern decides and allow wins a tie, whatever the order (RFC 9309 §2.2.2; Google's examples). */
    @ParameterizedTest(name = "allow {0}, disallow {1}: {2} allowed={3}")
    @CsvSource(delimiter = '|', textBlock = """
            /p              | /               | /page                | true
            /folder         | /folder         | /folder/page         | true
            /page           | /*.htm          | /page.htm            | false
            /page           | /*.ph           | /page.php            | true
            /$              | /               | /                    | true
            /$              | /               | /page.htm            | false
            /admin/public/  | /admin/         | /admin/public/x      | true
            /admin/public/  | /admin/         | /admin/x             | false
            /fish*          | /fish           | /fish                | true
            /fish           | /fish*          | /fish                | false
            /*.css$         | /css/           | /css/site.css        | true
            /*.css$         | /css/           | /css/site.css?v=1    | false
            /*.css$         | /css/           | /css/site.css.bak    | false
            /unrelated      | /private        | /public              | true
            """)
    void mostSpecificRuleWins(String allow, String disallow, String path, boolean allowed) {
        assertEquals(allowed, allows(lines("User-agent: *", "Allow: " + allow, "Disallow: " + disallow), path));
        assertEquals(allowed, allows(lines("User-agent: *", "Disallow: " + disallow, "Allow: " + allow), path));
    }

    static Stream<Arguments> groupSelection() {
        return Stream.of(
                Arguments.of("a trawl group beats the * group", lines(
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl", "Disallow: /private"), "/public", true),
                Arguments.of("the trawl group's own rules apply", lines(
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl", "Disallow: /private"), "/private/x", false),
                Arguments.of("other crawlers' groups are ignored", lines(
                        "User-agent: googlebot", "Disallow: /"), "/x", true),
                Arguments.of("* applies when no group names trawl", lines(
                        "User-agent: googlebot", "Allow: /",
                        "User-agent: *", "Disallow: /"), "/x", false),
                Arguments.of("agent names are case-insensitive", lines(
                        "User-agent: *", "Allow: /",
                        "User-agent: TRAWL", "Disallow: /"), "/x", false),
                Arguments.of("a version after the token is ignored", lines(
                        "User-agent: Trawl/1.0", "Disallow: /"), "/x", false),
                Arguments.of("a whole user-agent string names its token", lines(
                        "User-agent: Trawl/0.1 (+batch fetcher)", "Disallow: /"), "/x", false),
                Arguments.of("trawl-bot is another crawler", lines(
                        "User-agent: trawl-bot", "Disallow: /"), "/x", true),
                Arguments.of("trawlbot is another crawler", lines(
                        "User-agent: trawlbot", "Disallow: /",
                        "User-agent: *", "Disallow: /star-only"), "/x", true),
                Arguments.of("trawler is another crawler, so * applies", lines(
                        "User-agent: trawler", "Disallow: /",
                        "User-agent: *", "Disallow: /star-only"), "/star-only", false),
                Arguments.of("groups naming trawl are merged (first)", lines(
                        "User-agent: trawl", "Disallow: /a",
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl", "Disallow: /b"), "/a", false),
                Arguments.of("groups naming trawl are merged (second)", lines(
                        "User-agent: trawl", "Disallow: /a",
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl", "Disallow: /b"), "/b", false),
                Arguments.of("merged groups leave the rest allowed", lines(
                        "User-agent: trawl", "Disallow: /a",
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl", "Disallow: /b"), "/c", true),
                Arguments.of("* groups are merged too", lines(
                        "User-agent: *", "Disallow: /a",
                        "User-agent: other", "Disallow: /",
                        "User-agent: *", "Disallow: /b"), "/b", false),
                Arguments.of("several user-agent lines share one group", lines(
                        "User-agent: googlebot", "User-agent: trawl", "Disallow: /x"), "/x", false),
                Arguments.of("a user-agent line after a rule starts a new group", lines(
                        "User-agent: trawl", "Disallow: /a",
                        "User-agent: other", "Disallow: /b"), "/b", true),
                Arguments.of("blank lines and comments do not end a run of user-agent lines", lines(
                        "User-agent: trawl", "", "# the others too", "User-agent: other", "Disallow: /x"), "/x", false),
                Arguments.of("sitemap lines do not end a run of user-agent lines", lines(
                        "User-agent: trawl", "Sitemap: https://example.com/s.xml", "User-agent: other",
                        "Disallow: /x"), "/x", false),
                Arguments.of("an empty disallow is a rule line, so the next user-agent starts a group", lines(
                        "User-agent: trawl", "Disallow:",
                        "User-agent: other", "Disallow: /"), "/x", true),
                Arguments.of("rules before any user-agent belong to no group", lines(
                        "Disallow: /",
                        "User-agent: *", "Disallow: /private"), "/x", true),
                Arguments.of("a trawl group without rules allows everything", lines(
                        "User-agent: *", "Disallow: /",
                        "User-agent: trawl"), "/x", true),
                Arguments.of("one group naming * and trawl applies", lines(
                        "User-agent: *", "User-agent: trawl", "Disallow: /x"), "/x", false),
                Arguments.of("no groups at all allows everything", lines(
                        "Sitemap: https://example.com/s.xml"), "/x", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void groupSelection(String description, String robotsTxt, String path, boolean allowed) {
        assertEquals(allowed, allows(robotsTxt, path), description);
    }

    /** RFC 9309 §5.1's example file, read by each of the crawlers it names and by trawl (which gets *). */
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            foobot  | /example/page.html    | true
            foobot  | /example/allowed.gif  | true
            foobot  | /example/other.html   | false
            foobot  | /                     | false
            barbot  | /example/page.html    | false
            barbot  | /example/other.html   | true
            bazbot  | /example/page.html    | false
            bazbot  | /picture.gif          | true
            quxbot  | /example/page.html    | true
            quxbot  | /picture.gif          | true
            trawl   | /picture.gif          | false
            trawl   | /example/page.html    | false
            trawl   | /publications/1.html  | true
            trawl   | /other                | true
            """)
    void rfc9309Example(String productToken, String path, boolean allowed) {
        String robotsTxt = """
                User-Agent: *
                Disallow: *.gif$
                Disallow: /example/
                Allow: /publications/

                User-Agent: foobot
                Disallow:/
                Allow:/example/page.html
                Allow:/example/allowed.gif

                User-Agent: barbot
                User-Agent: bazbot
                Disallow: /example/page.html

                User-Agent: quxbot

                EOF
                """;
        assertEquals(allowed, RobotsTxt.parse(robotsTxt, productToken).allows(path));
    }

    static Stream<Arguments> syntax() {
        return Stream.of(
                Arguments.of("comments after values", "User-agent: * # all\nDisallow: /x # not x\n", "/x", false),
                Arguments.of("commented-out rule", "User-agent: *\n# Disallow: /x\nDisallow: /y\n", "/x", true),
                Arguments.of("byte-order mark", "\uFEFFUser-agent: *\nDisallow: /x\n", "/x", false),
                Arguments.of("CRLF", "User-agent: *\r\nDisallow: /a\r\nDisallow: /x\r\n", "/x", false),
                Arguments.of("CR only", "User-agent: *\rDisallow: /a\rDisallow: /x\r", "/x", false),
                Arguments.of("mixed line ends", "User-agent: *\r\nDisallow: /a\rDisallow: /x\n", "/x", false),
                Arguments.of("no final line end", "User-agent: *\nDisallow: /x", "/x", false),
                Arguments.of("leading and trailing whitespace", "   User-agent:   *  \n\t Disallow : \t/x  \n", "/x", false),
                Arguments.of("upper-case keys", "USER-AGENT: *\nDISALLOW: /x\n", "/x", false),
                Arguments.of("no space after the colon", "User-agent:*\nDisallow:/x\n", "/x", false),
                Arguments.of("a line without a colon is ignored", "User-agent: *\nDisallow /x\nDisallow: /y\n", "/x", true),
                Arguments.of("the rest of a colonless file still counts", "User-agent: *\nDisallow /x\nDisallow: /y\n", "/y", false),
                Arguments.of("a colon inside the value", "User-agent: *\nDisallow: /a:b\n", "/a:b", false),
                Arguments.of("unknown keys are ignored", "User-agent: *\nNoindex: /x\nHost: example.com\n", "/x", true),
                Arguments.of("sitemap is ignored", "User-agent: *\nSitemap: /x\n", "/x", true),
                Arguments.of("a misspelt allow is not read", "User-agent: *\nDisallow: /\nAlow: /x\n", "/x", false),
                Arguments.of("empty file", "", "/x", true),
                Arguments.of("blank lines only", "\n\r\n  \n", "/x", true),
                Arguments.of("an HTML page", "<html><head><title>Not Found</title></head><body>Oops</body></html>", "/x", true),
                Arguments.of("an HTML page with colons", "<!DOCTYPE html>\n<p>Disallow: everything</p>\n<a href=\"https://x\">", "/x", true),
                Arguments.of("binary junk", "\u0000\u0001\u00ff\ufffd:\u0007\n\u0000Disallow\u0000: /x", "/x", true),
                Arguments.of("JSON", "{\"user-agent\": \"*\", \"disallow\": \"/\"}", "/x", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void syntax(String description, String robotsTxt, String path, boolean allowed) {
        assertEquals(allowed, allows(robotsTxt, path), description);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({"useragent, dissallow", "user agent, dissalow", "User-Agent, disalow", "USERAGENT, diasllow",
            "user-agent, disallaw", "User Agent, DISSALLOW"})
    void googlesTyposAreRead(String userAgentKey, String disallowKey) {
        String robotsTxt = lines(userAgentKey + ": trawl", disallowKey + ": /x");
        assertFalse(allows(robotsTxt, "/x"));
        assertTrue(allows(robotsTxt, "/y"));
    }

    /** Equal paths in different percent-encodings match; different characters do not (RFC 9309 §2.2.2). */
    @ParameterizedTest(name = "rule {0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /a%3cd                      | /a%3Cd                       | true
            /a%3Cd                      | /a%3cd                       | true
            /%7Euser                    | /~user                       | true
            /~user                      | /%7euser                     | true
            /foo/bar/%62%61%7A          | /foo/bar/baz                 | true
            /foo/bar/baz                | /foo/bar/%62%61%7a           | true
            /foo/bar/ツ                 | /foo/bar/%E3%83%84           | true
            /foo/bar/%e3%83%84          | /foo/bar/ツ                  | true
            /foo/bar/%E3%83%84          | /foo/bar/%E3%83%84           | true
            /caf%C3%A9                  | /café                        | true
            /a%2Fb                      | /a/b                         | false
            /a/b                        | /a%2Fb                       | false
            /a%2fb                      | /a%2Fb                       | true
            /q?x=a%26b                  | /q?x=a&b                     | false
            /path/file-with-a-%2A.html  | /path/file-with-a-*.html     | true
            /path/file-with-a-%2A.html  | /path/file-with-a-x.html     | false
            /path/foo-%24               | /path/foo-$                  | true
            /my file                    | /my%20file                   | true
            /a%zz                       | /a%25zz                      | true
            /a%                         | /a%25                        | true
            /Fish                       | /fish                        | false
            """)
    void percentEncodingEquivalence(String rule, String path, boolean matches) {
        assertEquals(!matches, allows(lines("User-agent: *", "Disallow: " + rule), path));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''          | false
            ?a=1        | false
            /?a=1       | false
            /x          | true
            /page#frag  | false
            """)
    void pathForms(String pathAndQuery, boolean allowed) {
        String robotsTxt = lines("User-agent: *", "Disallow: /$", "Disallow: /*?a=", "Disallow: /page$");
        assertEquals(allowed, allows(robotsTxt, pathAndQuery));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/robots.txt", "/robots.txt?x=1", "/robots%2Etxt"})
    void robotsTxtItselfIsAlwaysAllowed(String path) {
        assertTrue(RobotsTxt.disallowAll().allows(path));
        assertTrue(RobotsTxt.unreachable().allows(path));
        assertTrue(allows(lines("User-agent: *", "Disallow: /robots.txt"), path));
        assertFalse(RobotsTxt.disallowAll().allows("/robots.txt.bak"));
    }

    @Test
    void allowAllAndDisallowAll() {
        assertTrue(RobotsTxt.allowAll().allows("/"));
        assertTrue(RobotsTxt.allowAll().allows("/any/thing?q=1"));
        assertFalse(RobotsTxt.disallowAll().allows("/"));
        assertFalse(RobotsTxt.disallowAll().allows(""));
        assertFalse(RobotsTxt.disallowAll().allows("/any/thing?q=1"));
        assertFalse(RobotsTxt.unreachable().allows("/x"));
        assertNull(RobotsTxt.allowAll().crawlDelay());
        assertNull(RobotsTxt.disallowAll().crawlDelay());
    }

    /** RFC 9309 §2.3.1, with 429 read as unreachable (like Google) and an unfollowed redirect as unavailable. */
    @ParameterizedTest(name = "HTTP {0}: /x allowed={1}, /y allowed={2}")
    @CsvSource({
            "200, false, true", "203, false, true", "204, false, true", "299, false, true",
            "301, true, true", "302, true, true", "399, true, true",
            "400, true, true", "401, true, true", "403, true, true", "404, true, true", "410, true, true",
            "451, true, true", "499, true, true",
            "429, false, false",
            "500, false, false", "502, false, false", "503, false, false", "599, false, false",
            "100, false, false", "0, false, false", "600, false, false"})
    void statusHandling(int status, boolean allowsX, boolean allowsY) {
        RobotsTxt robots = RobotsTxt.forResponse(status, lines("User-agent: *", "Disallow: /x"), TOKEN);
        assertEquals(allowsX, robots.allows("/x"));
        assertEquals(allowsY, robots.allows("/y"));
        assertTrue(robots.allows("/robots.txt"));
    }

    @Test
    void aSuccessWithoutABodyAllowsEverything() {
        assertTrue(RobotsTxt.forResponse(200, null, TOKEN).allows("/x"));
        assertTrue(RobotsTxt.forResponse(200, "", TOKEN).allows("/x"));
    }

    @Test
    void rulesPastTheParseLimitAreIgnored() {
        String head = lines("User-agent: *", "Disallow: /early");
        String robotsTxt = head + padding(RobotsTxt.MAX_PARSED_BYTES) + lines("Disallow: /late");

        RobotsTxt robots = RobotsTxt.parse(robotsTxt, TOKEN);

        assertFalse(robots.allows("/early"));
        assertTrue(robots.allows("/late"));
    }

    @Test
    void aRuleEndingRightAtTheLimitCounts() {
        String head = lines("User-agent: *");
        String rule = "Disallow: /edge";
        String robotsTxt = head + padding(RobotsTxt.MAX_PARSED_BYTES - utf8(head) - rule.length()) + rule
                + "\nDisallow: /after\n";
        assertEquals(RobotsTxt.MAX_PARSED_BYTES, utf8(robotsTxt.substring(0, robotsTxt.indexOf(rule) + rule.length())));

        RobotsTxt robots = RobotsTxt.parse(robotsTxt, TOKEN);

        assertFalse(robots.allows("/edge"));
        assertTrue(robots.allows("/after"));
    }

    @Test
    void aLineCutByTheLimitIsDroppedNotReadShort() {
        // Read short, "Allow: /a/b" would become "Allow: /a", tie with the disallow and let /a/b through.
        String head = lines("User-agent: *", "Disallow: /a");
        String kept = "Allow: /a";
        String robotsTxt = head + padding(RobotsTxt.MAX_PARSED_BYTES - utf8(head) - kept.length()) + kept + "/b\n";
        assertEquals(RobotsTxt.MAX_PARSED_BYTES, utf8(robotsTxt.substring(0, robotsTxt.indexOf(kept) + kept.length())));

        RobotsTxt robots = RobotsTxt.parse(robotsTxt, TOKEN);

        assertFalse(robots.allows("/a/b"));
        assertFalse(robots.allows("/a/c"));
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        String head = lines("User-agent: *");
        // 200,000 three-byte characters: 600,000 bytes but fewer characters than the limit.
        String wide = "# " + "ツ".repeat(200_000) + "\n";
        String robotsTxt = head + wide + lines("Disallow: /late");
        assertTrue(robotsTxt.length() < RobotsTxt.MAX_PARSED_BYTES);

        assertTrue(allows(robotsTxt, "/late"));
        assertFalse(allows(head + "# " + "ツ".repeat(100_000) + "\n" + lines("Disallow: /late"), "/late"));
    }

    /** Comment lines that make up exactly {@code bytes} bytes of ASCII, ending in a line end. */
    private static String padding(int bytes) {
        StringBuilder out = new StringBuilder(bytes);
        while (bytes - out.length() > 100) {
            out.append("#").append("-".repeat(98)).append('\n');
        }
        int rest = bytes - out.length();
        out.append("#".repeat(rest - 1)).append('\n');
        assertEquals(bytes, out.length());
        return out.toString();
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest(name = "crawl-delay {0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            10      | PT10S
            2.5     | PT2.5S
            .5      | PT0.5S
            0       | PT0S
            3.      | PT3S
            1.0000000009 | PT1S
            abc     | null
            -1      | null
            1e3     | null
            ''      | null
            99999999999999999999 | null
            """)
    void crawlDelay(String value, String expected) {
        RobotsTxt robots = RobotsTxt.parse(lines("User-agent: trawl", "Crawl-delay: " + value, "Disallow: /x"), TOKEN);
        assertEquals(expected == null ? null : Duration.parse(expected), robots.crawlDelay());
        assertFalse(robots.allows("/x"));
    }

    @Test
    void crawlDelayComesFromTheChosenGroups() {
        assertNull(RobotsTxt.parse(lines("User-agent: trawl", "Disallow: /x"), TOKEN).crawlDelay());
        assertNull(RobotsTxt.parse(lines(
                "User-agent: *", "Crawl-delay: 5", "Disallow: /y",
                "User-agent: trawl", "Disallow: /x"), TOKEN).crawlDelay());
        // Not a rule, a crawl-delay line leaves the run of user-agent lines open: one group names both.
        assertEquals(Duration.ofSeconds(5), RobotsTxt.parse(lines(
                "User-agent: *", "Crawl-delay: 5",
                "User-agent: trawl", "Disallow: /x"), TOKEN).crawlDelay());
        assertEquals(Duration.ofSeconds(5), RobotsTxt.parse(lines(
                "User-agent: other", "Crawl-delay: 9", "Disallow: /",
                "User-agent: *", "Crawl-delay: 5"), TOKEN).crawlDelay());
        assertEquals(Duration.ofSeconds(7), RobotsTxt.parse(lines(
                "User-agent: trawl", "Crawl-delay: 3", "Disallow: /a",
                "User-agent: *", "Crawl-delay: 20", "Disallow: /b",
                "User-agent: trawl", "Crawl-delay: 7", "Crawl-delay: junk"), TOKEN).crawlDelay());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "trawl/0.1", "Trawl bot", "trawl1", "*"})
    void aProductTokenIsLettersUnderscoresAndHyphens(String token) {
        assertThrows(IllegalArgumentException.class, () -> RobotsTxt.parse("", token));
        assertThrows(IllegalArgumentException.class, () -> RobotsTxt.forResponse(404, "", token));
    }

    @Test
    void aNullProductTokenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RobotsTxt.parse("", null));
    }

    @Test
    void wildcardHeavyPatternsStayFast() {
        String robotsTxt = lines("User-agent: *", "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*b", "Disallow: /*a*a*a*a*a*a*c$");
        String path = "/" + "a".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertTrue(allows(robotsTxt, path)));
    }
}
