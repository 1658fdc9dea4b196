package dev.trawl.archfixture.cycle.b;

import dev.trawl.archfixture.cycle.a.Ask;

/** Fixture: the other half of the cycle. */
public final class Answer {
    public Ask askAgain() {
        return new Ask();
    }
}
