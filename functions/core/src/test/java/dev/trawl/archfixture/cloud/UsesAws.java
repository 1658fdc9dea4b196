package dev.trawl.archfixture.cloud;

import software.amazon.archfixture.StandIn;

/** Fixture: a core class that uses an AWS type (the rule refuses it). */
public final class UsesAws {
    public StandIn client() {
        return new StandIn();
    }
}
