package dev.trawl.archfixture.cycle.a;

import dev.trawl.archfixture.cycle.b.Answer;

/** Fixture: package a uses package b, which uses a back (ArchitectureTest shows the rule catches it). */
public final class Ask {
    public Answer ask() {
        return new Answer();
    }
}
