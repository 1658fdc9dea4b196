package dev.trawl.core.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TargetPolicyTest {

    /** A resolver from a table; no DNS. Records the names it was asked for. */
    private static final class FakeResolver implements TargetPolicy.Resolver {
        final Map<String, InetAddress[]> table = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        FakeResolver with(String host, InetAddress... addresses) {
            table.put(host, addresses);
            return this;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            asked.add(host);
            InetAddress[] addresses = table.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.clone();
        }
    }

    private static final TargetPolicy.Resolver NO_LOOKUPS = host -> fail("the resolver must not be asked for " + host);
    /** Address literals are read without DNS, as the real resolver does. */
    private static final TargetPolicy.Resolver NO_LOOKUPS_BUT_LITERALS = host -> TargetPolicy.isLiteral(host)
            ? InetAddress.getAllByName(host) : fail("the resolver must not be asked for " + host);

    /** An address from its literal; {@code InetAddress.getByName} on a literal never uses DNS. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(TargetPolicy.Verdict verdict, String code) {
        TargetPolicy.Verdict.Refused refused = assertInstanceOf(TargetPolicy.Verdict.Refused.class, verdict);
        assertEquals(code, refused.code());
    }

    private static void assertAllowed(TargetPolicy.Verdict verdict) {
        assertInstanceOf(TargetPolicy.Verdict.Allowed.class, verdict, () -> "refused: " + verdict);
    }

    @ParameterizedTest(name = "{0} is blocked")
    @ValueSource(strings = {
            "127.0.0.1", "127.1.2.3", "::1", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
            "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.0.170", "198.18.0.1",
            "::", "fc00::1", "fd00:ec2::254", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.1.2.3",
            "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::5", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
            "64:ff9b::10.0.0.1"})
    void nonPublicAddressesAreBlocked(String literal) {
        FakeResolver resolver = new FakeResolver().with("target.test", ip(literal));
        TargetPolicy policy = new TargetPolicy(Set.of(), resolver);

        assertRefused(policy.check(URI.create("http://target.test/path")), "blocked_target");
        assertRefused(policy.check(URI.create("https://target.test:8443/")), "blocked_target");
        assertEquals(List.of("target.test", "target.test"), resolver.asked);
        assertTrue(!TargetPolicy.isPublic(ip(literal)), literal);
    }

    @ParameterizedTest(name = "{0} is allowed")
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "192.169.0.1", "169.255.0.1", "223.255.255.254", "2606:4700::1", "2a00:1450:4001::200e",
            "::ffff:93.184.216.34", "2002:5db8:d822::1", "64:ff9b::5db8:d822", "64:ff9b:1::7f00:1"})
    void publicAddressesAreAllowed(String literal) {
        FakeResolver resolver = new FakeResolver().with("target.test", ip(literal));
        TargetPolicy policy = new TargetPolicy(Set.of(), resolver);

        assertAllowed(policy.check(URI.create("http://target.test/")));
        assertAllowed(policy.check(URI.create("https://target.test/a?b=c")));
        assertTrue(TargetPolicy.isPublic(ip(literal)), literal);
    }

    /** {@code InetAddress.getByName} turns ::ffff:a.b.c.d into an Inet4Address; a resolver may not. */
    @Test
    void ipv4MappedAddressesAreJudgedByTheirIpv4PartAlsoAsInet6Address() throws Exception {
        byte[] loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        byte[] metadata = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
        byte[] publicOne = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 93, (byte) 184, (byte) 216, 34};
        InetAddress mappedLoopback = Inet6Address.getByAddress(null, loopback, -1);
        InetAddress mappedMetadata = Inet6Address.getByAddress(null, metadata, -1);
        InetAddress mappedPublic = Inet6Address.getByAddress(null, publicOne, -1);
        assertInstanceOf(Inet6Address.class, mappedLoopback);

        TargetPolicy policy = new TargetPolicy(Set.of(), new FakeResolver()
                .with("loop.test", mappedLoopback).with("meta.test", mappedMetadata).with("pub.test", mappedPublic));
        assertRefused(policy.check(URI.create("http://loop.test/")), "blocked_target");
        assertRefused(policy.check(URI.create("http://meta.test/")), "blocked_target");
        assertAllowed(policy.check(URI.create("http://pub.test/")));
    }

    @Test
    void aHostWithOnePublicAndOnePrivateAddressIsBlocked() {
        TargetPolicy policy = new TargetPolicy(Set.of(), new FakeResolver()
                .with("mixed.test", ip("93.184.216.34"), ip("10.0.0.5"))
                .with("mixed6.test", ip("2606:4700::1"), ip("::1"))
                .with("mixed-private-first.test", ip("192.168.0.1"), ip("93.184.216.34")));
        assertRefused(policy.check(URI.create("https://mixed.test/")), "blocked_target");
        assertRefused(policy.check(URI.create("https://mixed6.test/")), "blocked_target");
        assertRefused(policy.check(URI.create("https://mixed-private-first.test/")), "blocked_target");
    }

    @Test
    void anUnknownHostIsADnsFailure() {
        TargetPolicy policy = new TargetPolicy(Set.of(), new FakeResolver().with("empty.test"));
        assertRefused(policy.check(URI.create("http://nowhere.test/")), "dns_failure");
        assertRefused(policy.check(URI.create("http://empty.test/")), "dns_failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/", "mailto:a@example.com",
            "javascript:alert(1)", "/relative/path", "http:///no-host", "http://under_score.example/"})
    void anythingButHttpOrHttpsWithAHostIsAnInvalidUrl(String url) {
        TargetPolicy policy = new TargetPolicy(Set.of(), NO_LOOKUPS);
        assertRefused(policy.check(URI.create(url)), "invalid_url");
    }

    @Test
    void schemesAreCaseInsensitive() {
        TargetPolicy policy = new TargetPolicy(Set.of(), new FakeResolver().with("example.com", ip("93.184.216.34")));
        assertAllowed(policy.check(URI.create("HTTP://example.com/")));
        assertAllowed(policy.check(URI.create("HttpS://example.com/")));
    }

    @Test
    void anAllowedHostAndPortAllowsExactlyThatHostAndPort() {
        FakeResolver resolver = new FakeResolver().with("127.0.0.1", ip("127.0.0.1"));
        TargetPolicy policy = new TargetPolicy(Set.of("127.0.0.1:8080"), resolver);

        assertAllowed(policy.check(URI.create("http://127.0.0.1:8080/")));
        assertAllowed(policy.check(URI.create("https://127.0.0.1:8080/x")));
        assertTrue(resolver.asked.isEmpty(), "an allowed target skips the address check");
        assertRefused(policy.check(URI.create("http://127.0.0.1:8081/")), "blocked_target");
        assertRefused(policy.check(URI.create("http://127.0.0.1/")), "blocked_target");
        assertRefused(policy.check(URI.create("https://127.0.0.1/")), "blocked_target");
    }

    @Test
    void anAllowedPortMatchesTheSchemesDefaultPort() {
        TargetPolicy policy = new TargetPolicy(Set.of("internal.test:443", "plain.test:80"),
                new FakeResolver().with("internal.test", ip("10.0.0.1")).with("plain.test", ip("10.0.0.2")));
        assertAllowed(policy.check(URI.create("https://internal.test/")));
        assertRefused(policy.check(URI.create("http://internal.test/")), "blocked_target");
        assertAllowed(policy.check(URI.create("http://plain.test/")));
        assertRefused(policy.check(URI.create("https://plain.test/")), "blocked_target");
    }

    @Test
    void anAllowedBareHostAllowsAnyPort() {
        TargetPolicy policy = new TargetPolicy(Set.of("localhost"), NO_LOOKUPS);
        assertAllowed(policy.check(URI.create("http://localhost/")));
        assertAllowed(policy.check(URI.create("http://localhost:8080/")));
        assertAllowed(policy.check(URI.create("https://localhost:1/")));
        assertAllowed(policy.check(URI.create("http://LocalHost:9000/")));
    }

    @Test
    void anAllowedHostDoesNotAllowOtherHostsOrSchemes() {
        TargetPolicy policy = new TargetPolicy(Set.of("localhost"),
                new FakeResolver().with("localhost.evil.test", ip("127.0.0.1")).with("evil-localhost", ip("127.0.0.1")));
        assertRefused(policy.check(URI.create("http://localhost.evil.test/")), "blocked_target");
        assertRefused(policy.check(URI.create("http://evil-localhost/")), "blocked_target");
        assertRefused(policy.check(URI.create("ftp://localhost/")), "invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[::1]:80/", "http://[::1]/", "http://127.0.0.1/", "http://127.0.0.1:8080/x",
            "http://2130706433/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
            "http://[0:0:0:0:0:ffff:7f00:1]/", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
            "http://10.0.0.1/", "http://[fe80::1]/"})
    void theRealResolverBlocksLiteralNonPublicAddresses(String url) {
        assertRefused(TargetPolicy.publicOnly(Set.of()).check(URI.create(url)), "blocked_target");
    }

    /** A name, not a literal, whose every lookup on any machine gives loopback. */
    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/", "https://localhost:8443/x", "http://LocalHost/"})
    void theRealResolverBlocksADnsNameThatResolvesToLoopback(String url) {
        assertRefused(TargetPolicy.publicOnly(Set.of()).check(URI.create(url)), "blocked_target");
    }

    /**
     * Other spellings of loopback that {@code java.net.URI} finds a host in are refused before any lookup, including
     * those the JDK itself would read otherwise ("0177.0.0.1" as 177.0.0.1) or not at all ("0x7f000001"); those it
     * finds no host in never reach the policy (see {@link LegacySpellingsTest}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0177.0.0.1/", "http://0x7f000001:8080/", "http://017700000001/",
            "https://u:p@0x7f000001:8443/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/"})
    void otherSpellingsOfLoopbackAreBlockedTargets(String url) {
        assertRefused(new TargetPolicy(Set.of(), NO_LOOKUPS_BUT_LITERALS).check(URI.create(url)), "blocked_target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f000001", "0177.0.0.1", "127.1", "0x7f000001."})
    void aConnectLineWithAnOldSpellingOfLoopbackIsABlockedTarget(String host) {
        assertRefused(new TargetPolicy(Set.of(), NO_LOOKUPS_BUT_LITERALS).check(host, 443), "blocked_target");
    }

    @Test
    void theRealResolverAllowsLiteralPublicAddresses() {
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of());
        assertAllowed(policy.check(URI.create("http://93.184.216.34/")));
        assertAllowed(policy.check(URI.create("https://[2606:4700::1]:8443/")));
    }

    @Test
    void theAllowListWorksWithTheRealResolver() {
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of("127.0.0.1"));
        assertAllowed(policy.check(URI.create("http://127.0.0.1:12345/")));
        assertRefused(policy.check(URI.create("http://127.0.0.2/")), "blocked_target");
        assertRefused(policy.check(URI.create("http://[::1]/")), "blocked_target");
    }
}
