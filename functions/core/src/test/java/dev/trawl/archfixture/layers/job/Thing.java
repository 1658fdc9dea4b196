package dev.trawl.archfixture.layers.job;

import dev.trawl.archfixture.layers.port.Things;

/** Fixture: a model type that reaches up to a port (the layer rule refuses it). */
public record Thing(String id) {
    public static Thing load(Things things) {
        return things.find("x");
    }
}
