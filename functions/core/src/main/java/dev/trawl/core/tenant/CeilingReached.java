package dev.trawl.core.tenant;

/** A new job would pass one of its tenant's {@link Ceilings}: it was not stored. */
public final class CeilingReached extends RuntimeException {
    public enum Kind { ACTIVE_JOBS, CONCURRENCY }

    private final Kind kind;
    private final long limit;
    private final long inUse;

    public CeilingReached(Kind kind, long limit, long inUse) {
        super(kind + " ceiling " + limit + " reached (" + inUse + " in use)", null, false, false);
        this.kind = kind;
        this.limit = limit;
        this.inUse = inUse;
    }

    public Kind kind() {
        return kind;
    }

    public long limit() {
        return limit;
    }

    public long inUse() {
        return inUse;
    }
}
