package dev.trawl.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Which fetch and webhook targets are allowed: {@code http}/{@code https} to hosts that resolve only to
 * public addresses, unless the operator allowed the host (and port) by name.
 */
public final class TargetPolicy {
    private final Set<String> allowedTargets;
    private final Resolver resolver;

    /** Looks up every address of a host name. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** @param allowedTargets {@code host} or {@code host:port} entries, lower case, that skip the address check */
    public TargetPolicy(Set<String> allowedTargets, Resolver resolver) {
        this.allowedTargets = Set.copyOf(allowedTargets);
        this.resolver = resolver;
    }

    public static TargetPolicy publicOnly(Set<String> allowedTargets) {
        return new TargetPolicy(allowedTargets, InetAddress::getAllByName);
    }

    public sealed interface Verdict {
        record Allowed() implements Verdict {
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
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String lowerHost = host.toLowerCase(Locale.ROOT);
        if (allowedTargets.contains(lowerHost) || allowedTargets.contains(lowerHost + ":" + port)) {
            return new Verdict.Allowed();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            return new Verdict.Refused("dns_failure", "the host name does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return new Verdict.Refused("blocked_target", "the host resolves to a non-public address");
            }
        }
        return addresses.length == 0 ? new Verdict.Refused("dns_failure", "the host name does not resolve")
                : new Verdict.Allowed();
    }

    /**
     * Whether a URL that {@link java.net.URI} finds no host in still names a non-public IPv4 address in one of the
     * old spellings C libraries accept ({@code 127.1}, {@code 0x7f.1}, {@code 0177.0.0.01}): such a URL is never
     * fetched, and is reported as the blocked target it names rather than as an unusable URL.
     */
    public static boolean namesNonPublicAddress(String url) {
        if (url == null) {
            return false;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String authority = url.substring(scheme + 3);
        for (char end : new char[]{'/', '?', '#'}) {
            int at = authority.indexOf(end);
            if (at >= 0) {
                authority = authority.substring(0, at);
            }
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
            authority = authority.substring(0, colon);
        }
        byte[] address = legacyIpv4(authority.toLowerCase(Locale.ROOT));
        if (address == null) {
            return false;
        }
        try {
            return !isPublic(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            return false;
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
                // IPv4-compatible or IPv4-mapped: judge the embedded IPv4 address
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
