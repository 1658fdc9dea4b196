package dev.trawl.core.tenant;

/** A tenant's live jobs and the concurrency they hold together. */
public record TenantUsage(long activeJobs, long concurrency) {
    public static final TenantUsage NONE = new TenantUsage(0, 0);
}
