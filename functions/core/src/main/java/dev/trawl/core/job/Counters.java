package dev.trawl.core.job;

import dev.trawl.core.row.RowStatus;


/** Outcome counts of a set of result rows; a chunk commits these once, and the job adds them up. */
public record Counters(long ok, long errored, long skipped) {
    public static final Counters ZERO = new Counters(0, 0, 0);

    public long done() {
        return ok + errored + skipped;
    }

    public Counters plus(Counters other) {
        return new Counters(ok + other.ok, errored + other.errored, skipped + other.skipped);
    }

    public Counters with(RowStatus status) {
        return switch (status) {
            case OK -> new Counters(ok + 1, errored, skipped);
            case ERROR -> new Counters(ok, errored + 1, skipped);
            case SKIPPED -> new Counters(ok, errored, skipped + 1);
        };
    }
}
