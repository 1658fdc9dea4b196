package dev.trawl.core.fetch;

import java.net.URI;
import java.util.Locale;

/**
 * A URL's origin: scheme and host in lower case, and the port a client connects to (80 or 443 when the URL gives
 * none). Two URLs share an origin when all three are equal, which is what decides whether a job's credentials may
 * go along on a redirect.
 *
 * @param host as the URL spells it, with the brackets of an IPv6 literal
 */
public record Origin(String scheme, String host, int port) {

    /** The origin of an {@code http} or {@code https} URL with a host, as {@link Fetcher#parseUsable} gives them. */
    public static Origin of(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    private boolean defaultPort() {
        return port == (scheme.equals("https") ? 443 : 80);
    }

    /** {@code scheme://host[:port]}, the port left out when it is the scheme's default. */
    @Override
    public String toString() {
        return scheme + "://" + host + (defaultPort() ? "" : ":" + port);
    }
}
