package dev.trawl.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which fetch and webhook targets are allowed: {@code http}/{@code https} to hosts that resolve only to
 * public addresses, unless the operator allowed the host (and port) by name.
 */
public final class TargetPolicy {
    /** One part of an inet_aton spelling: decimal, octal (a leading 0) or hex ({@code 0x}); no sign, no space. */
    private static final Pattern LEGACY_PART = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    private final Set<String> allowedTargets;
    private final Resolver resolver;
    private final Predicate<InetAddress> isPublic;

    /** Looks up every address of a host name. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** @param allowedTargets {@code host} or {@code host:port} entries, lower case, that skip the address check */
    public TargetPolicy(Set<String> allowedTargets, Resolver resolver) {
        this(allowedTargets, resolver, TargetPolicy::isPublic);
    }

    /** @param isPublic which addresses count as public: tests widen it so that a site on loopback stands for the internet */
    TargetPolicy(Set<String> allowedTargets, Resolver resolver, Predicate<InetAddress> isPublic) {
        this.allowedTargets = Set.copyOf(allowedTargets);
        this.resolver = resolver;
        this.isPublic = isPublic;
    }

    public static TargetPolicy publicOnly(Set<String> allowedTargets) {
        return new TargetPolicy(allowedTargets, InetAddress::getAllByName);
    }

    public sealed interface Verdict {
        /**
         * @param address the checked address to connect to, or null when the operator allowed the host by name (or it
         *                is an address literal): connecting anywhere else would reopen the window a rebinding DNS
         *                server aims for
         */
        record Allowed(InetAddress address) implements Verdict {
        }

        record Refused(String code, String reason) implements Verdict {
        }
    }

    public Verdict check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Verdict.Refused("invalid_url", "only http and https URLs are fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return new Verdict.Refused("invalid_url", "the URL has no host");
        }
        return check(host, uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80);
    }

    /**
     * Checks a host (a name, an IPv4 literal, or an IPv6 literal with or without brackets) and port: every address the
     * name resolves to must be public, and the first of them is the one to connect to.
     */
    public Verdict check(String host, int port) {
        String bareHost = bare(host);
        String lowerHost = (bareHost.indexOf(':') >= 0 ? "[" + bareHost + "]" : bareHost).toLowerCase(Locale.ROOT);
        if (allowedTargets.contains(lowerHost) || allowedTargets.contains(lowerHost + ":" + port)) {
            return new Verdict.Allowed(null);
        }
        // Checked before any lookup: the JDK reads some of these spellings as another address (0177.0.0.1 as
        // 177.0.0.1) or as a name to look up (0x7f000001), while C libraries, curl and browsers read 127.0.0.1.
        InetAddress legacy = legacyIpv4Address(lowerHost);
        if (legacy != null && !isPublic.test(legacy)) {
            return new Verdict.Refused("blocked_target", "the host names a non-public address");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            return new Verdict.Refused("dns_failure", "the host name does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic.test(address)) {
                return new Verdict.Refused("blocked_target", "the host resolves to a non-public address");
            }
        }
        return addresses.length == 0 ? new Verdict.Refused("dns_failure", "the host name does not resolve")
                : new Verdict.Allowed(isLiteral(bareHost) ? null : addresses[0]);
    }

    /** A host without the brackets an IPv6 literal has in a URL or a {@code CONNECT} line. */
    static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean isLiteral(String bareHost) {
        try {
            InetAddress.ofLiteral(bareHost);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a URL names a non-public address in one of the spellings that {@link java.net.URI} finds no host in, or
     * reads otherwise than C libraries do: the old IPv4 forms ({@code 127.1}, {@code 0x7f.1}, {@code 0177.0.0.01},
     * {@code 2130706433}, a trailing dot) and IPv6 literals, with or without user info and port. Such a URL is never
     * fetched, and is reported as the blocked target it names rather than as an unusable URL.
     */
    public static boolean namesNonPublicAddress(String url) {
        String host = hostOf(url);
        if (host == null) {
            return false;
        }
        InetAddress address = host.startsWith("[") ? ipv6Literal(host) : legacyIpv4Address(host);
        return address != null && !isPublic(address);
    }

    /** The host of a URL as written, lower case, without user info and port; null when there is no {@code ://}. */
    static String hostOf(String url) {
        int scheme = url == null ? -1 : url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        String authority = url.substring(scheme + 3);
        for (char end : new char[]{'/', '?', '#', '\\'}) {
            int at = authority.indexOf(end);
            if (at >= 0) {
                authority = authority.substring(0, at);
            }
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? null : authority.substring(0, close + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static InetAddress ipv6Literal(String bracketed) {
        try {
            return InetAddress.ofLiteral(bare(bracketed));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The IPv4 address a host spelled as inet_aton reads it (one trailing dot allowed, as in a fully qualified name),
     * or null when the host is no such spelling.
     */
    static InetAddress legacyIpv4Address(String host) {
        String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        byte[] address = legacyIpv4(text.toLowerCase(Locale.ROOT));
        if (address == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** inet_aton's forms: one to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    static byte[] legacyIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (!LEGACY_PART.matcher(part).matches()) {
                return null;
            }
            try {
                if (part.startsWith("0x")) {
                    values[i] = part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
                } else if (part.length() > 1 && part.startsWith("0")) {
                    values[i] = Long.parseLong(part.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(part);
                }
            } catch (NumberFormatException e) {
                return null;
            }
            if (values[i] < 0) {
                return null;
            }
        }
        long value = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            value |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= (1L << (8 * (4 - (values.length - 1))))) {
            return null;
        }
        value |= last;
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first != 0 // this network
                    && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) { // unique local fc00::/7, incl. fd00:ec2::254
                return false;
            }
            boolean firstTenZero = true;
            for (int i = 0; i < 10; i++) {
                firstTenZero &= b[i] == 0;
            }
            if (firstTenZero && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF))) {
                return isPublicIpv4(b[12], b[13], b[14], b[15]); // IPv4-compatible or IPv4-mapped
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return isPublicIpv4(b[2], b[3], b[4], b[5]); // 6to4, 2002:AABB:CCDD::/48 routes to AA.BB.CC.DD
            }
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xFF && b[3] == (byte) 0x9B;
            boolean wellKnownPrefix = true;
            for (int i = 4; i < 12; i++) {
                wellKnownPrefix &= b[i] == 0;
            }
            if (nat64 && wellKnownPrefix) {
                return isPublicIpv4(b[12], b[13], b[14], b[15]); // NAT64, 64:ff9b::/96 translates to the last 32 bits
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicIpv4(byte a, byte b, byte c, byte d) {
        try {
            return isPublic(InetAddress.getByAddress(new byte[]{a, b, c, d}));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
