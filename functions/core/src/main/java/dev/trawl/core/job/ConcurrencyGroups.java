package dev.trawl.core.job;

/**
 * How a job's fetches are spread over message groups: one group per {@link #GROUP_CONCURRENCY} of its concurrency.
 * The chunk queue runs one chunk of a group at a time, so a job never has more than the sum of its groups' shares
 * in flight, and its groups together keep to its per-host limits.
 */
public final class ConcurrencyGroups {
    /** Fetches of one message group at most. */
    public static final int GROUP_CONCURRENCY = 32;

    private ConcurrencyGroups() {
    }

    /** How many message groups a job's chunks are spread over: ceil(concurrency / 32), at least one. */
    public static int groups(int concurrency) {
        return Math.max(1, (concurrency + GROUP_CONCURRENCY - 1) / GROUP_CONCURRENCY);
    }

    /** Group {@code group}'s share of the job's concurrency (at least one: there are no more groups than fetches). */
    public static int concurrencyShare(int concurrency, int group) {
        return share(concurrency, groups(concurrency), group);
    }

    /**
     * A group's share of a per-host limit, so that the job's groups, each running a chunk at a time, together keep
     * to it. A limit below the number of groups is then exceeded, up to one request per group.
     */
    public static int perHostShare(int perHostConcurrency, int groups, int group) {
        return Math.max(1, share(perHostConcurrency, groups, group));
    }

    /** {@code total} divided among {@code groups}; the first groups take the remainder. */
    private static int share(int total, int groups, int group) {
        return total / groups + (group < total % groups ? 1 : 0);
    }
}
