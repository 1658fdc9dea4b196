package dev.trawl.core.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every spelling of a non-public IPv4 address ({@link NonPublicSpellings}) ends {@code blocked_target}, whatever wraps
 * it, before any lookup: a URL {@link java.net.URI} finds a host in is refused by the policy, one it finds none in is
 * recognised by {@link TargetPolicy#namesNonPublicAddress}, which is what the worker asks of a URL it cannot use.
 */
class LegacySpellingsTest {
    /** Address literals are read without DNS; anything else would be a lookup the policy should never have made. */
    private static final TargetPolicy.Resolver NO_LOOKUPS = host -> TargetPolicy.isLiteral(host)
            ? InetAddress.getAllByName(host) : fail("looked up " + host);
    /** The canonical spelling of loopback is allowed by name, as on the local stack: its other spellings are not. */
    private static final TargetPolicy POLICY = new TargetPolicy(Set.of("127.0.0.1", "127.0.0.1:8080"), NO_LOOKUPS);

    static List<String> everyWrapping() {
        return NonPublicSpellings.urls(8080, "/path");
    }

    static Stream<NonPublicSpellings.Spelling> ipv4Spellings() {
        return NonPublicSpellings.SPELLINGS.stream().filter(spelling -> !spelling.host().startsWith("["));
    }

    @ParameterizedTest
    @MethodSource("everyWrapping")
    void everySpellingIsABlockedTargetBeforeAnyLookup(String url) {
        URI uri = Fetcher.parseUsable(url);
        if (uri == null) {
            assertTrue(TargetPolicy.namesNonPublicAddress(url), url);
        } else {
            TargetPolicy.Verdict.Refused refused = assertInstanceOf(TargetPolicy.Verdict.Refused.class, POLICY.check(uri), url);
            assertEquals("blocked_target", refused.code(), url);
        }
    }

    @ParameterizedTest
    @MethodSource("everyWrapping")
    void everySpellingIsRecognisedInTheUrlAsWritten(String url) {
        assertTrue(TargetPolicy.namesNonPublicAddress(url), url);
    }

    @ParameterizedTest
    @MethodSource("ipv4Spellings")
    void eachSpellingIsReadAsInetAtonReadsIt(NonPublicSpellings.Spelling spelling) throws Exception {
        assertEquals(InetAddress.getByName(spelling.address()), TargetPolicy.legacyIpv4Address(spelling.host()),
                spelling.host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "http://8.8.8.8/", "http://example.com/", "http://0x5d.0xb8.0xd8.0x22/",
            "http://1572395042/", "http://256.1/", "http://1.2.3.4.5/", "http://0x1g/", "ftp//127.1", "",
            "http://127.0.0.1.nip.io/", "http://0x7f000001.example/", "http://+127.1/", "http://-1/", "http://127..1/",
            "http://127.1..", "http://[::ffff:5db8:d822]/", "http://[2606:4700::1]:8080/", "http://[::1/",
            "http://127.1@example.com/", "http://example.com#@127.1/", "http://example.com?@127.1/"})
    void otherStringsAreNot(String url) {
        assertFalse(TargetPolicy.namesNonPublicAddress(url), url);
    }

    /** A backslash ends the authority as browsers read an http URL, so what follows it is not the host. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.1\\@example.com/", "http://user@0x7f000001\\path"})
    void aBackslashEndsTheAuthority(String url) {
        assertTrue(TargetPolicy.namesNonPublicAddress(url), url);
    }

    @ParameterizedTest
    @CsvSource({"127.1, 127.0.0.1", "0x7f.1, 127.0.0.1", "2130706433, 127.0.0.1", "0177.0.0.01, 127.0.0.1",
            "10.0x10.1, 10.16.0.1", "1.2.3.4, 1.2.3.4", "1.2.3.4., 1.2.3.4", "0x5db8d822, 93.184.216.34"})
    void inetAtonForms(String text, String dotted) throws Exception {
        assertEquals(InetAddress.getByName(dotted), TargetPolicy.legacyIpv4Address(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "example.com", "1.2.3.4.5", "256.1.1.1", "1.2.65536", "4294967296", "0x1g", "08",
            "1..2", "+1", "-1", " 1", "1e3", "127.1.."})
    void otherHostsAreNoInetAtonForm(String text) {
        assertNull(TargetPolicy.legacyIpv4Address(text), text);
    }

    /**
     * Public addresses in an old spelling are left as they were: some are no usable URL ({@code java.net.URI} finds no
     * host), some no name the JDK reads ({@code dns_failure}), and some are fetched at the address the JDK reads.
     */
    @ParameterizedTest
    @CsvSource({"http://0x5d.0xb8.0xd8.0x22/, unusable", "http://93.184.55346/, unusable",
            "http://0135.0270.0330.042/, unusable", "http://0x5db8d822/, dns_failure", "http://013556154042/, dns_failure",
            "http://1572395042/, allowed", "http://0100.0.0.1/, allowed"})
    void publicAddressesInAnOldSpellingAreLeftAsTheyWere(String url, String outcome) {
        URI uri = Fetcher.parseUsable(url);
        assertFalse(TargetPolicy.namesNonPublicAddress(url), url);
        if (outcome.equals("unusable")) {
            assertNull(uri, url);
            return;
        }
        assertNotNull(uri, url);
        TargetPolicy.Verdict verdict = new TargetPolicy(Set.of(), host -> {
            if (!TargetPolicy.isLiteral(host)) {
                throw new java.net.UnknownHostException(host); // as the JDK answers for these, without asking DNS
            }
            return InetAddress.getAllByName(host);
        }).check(uri);
        if (outcome.equals("allowed")) {
            assertInstanceOf(TargetPolicy.Verdict.Allowed.class, verdict, url);
        } else {
            assertEquals(outcome, assertInstanceOf(TargetPolicy.Verdict.Refused.class, verdict, url).code());
        }
    }
}
