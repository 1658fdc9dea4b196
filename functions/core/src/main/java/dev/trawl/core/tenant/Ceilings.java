package dev.trawl.core.tenant;

/**
 * The most live jobs a tenant may have, and the most concurrency they may hold together; a job counts from its
 * creation until it is terminal ({@code queued}, {@code running} and {@code cancelling} are live).
 */
public record Ceilings(int maxActiveJobs, int maxConcurrency) {
    /** For jobs made where no ceiling applies: still counted, never refused. */
    public static final Ceilings NONE = new Ceilings(Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** The ceiling a new job of {@code concurrency} would pass with this usage, or null when it fits. */
    public CeilingReached check(TenantUsage usage, int concurrency) {
        if (usage.activeJobs() + 1 > maxActiveJobs) {
            return new CeilingReached(CeilingReached.Kind.ACTIVE_JOBS, maxActiveJobs, usage.activeJobs());
        }
        if (usage.concurrency() + concurrency > maxConcurrency) {
            return new CeilingReached(CeilingReached.Kind.CONCURRENCY, maxConcurrency, usage.concurrency());
        }
        return null;
    }
}
