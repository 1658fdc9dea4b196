package dev.trawl.archfixture.layers.plan;

import dev.trawl.archfixture.layers.http.Route;

/** Fixture: a use case that answers with an HTTP status (the rule refuses it). */
public final class PlanThing {
    public int plan() {
        return Route.status();
    }
}
