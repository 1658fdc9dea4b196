package dev.trawl.archfixture.layers.http;

/** Fixture: the HTTP adapter, which a use case must not use. */
public final class Route {
    public static int status() {
        return 404;
    }
}
