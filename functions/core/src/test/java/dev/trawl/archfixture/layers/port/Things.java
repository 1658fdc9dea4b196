package dev.trawl.archfixture.layers.port;

import dev.trawl.archfixture.layers.job.Thing;

/** Fixture: a port. */
public interface Things {
    Thing find(String id);
}
