package dev.trawl.core.metrics;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A mergeable latency sketch: milliseconds counted in logarithmic buckets, 16 to each doubling, so a quantile
 * read from it is within about 2.2 % of the true value. Chunks each fill one and the job adds them up bucket by
 * bucket; no single latency is kept.
 */
public final class LatencyHistogram {
    private static final int BUCKETS_PER_DOUBLING = 16;
    private final SortedMap<Integer, Long> counts = new TreeMap<>();

    public static int bucketOf(long millis) {
        if (millis < 1) {
            return 0;
        }
        return 1 + (int) Math.floor(Math.log(millis) / Math.log(2) * BUCKETS_PER_DOUBLING);
    }

    /** The value a bucket stands for: the geometric middle of its range. */
    static double valueOf(int bucket) {
        if (bucket == 0) {
            return 0;
        }
        return Math.pow(2, (bucket - 0.5) / BUCKETS_PER_DOUBLING);
    }

    public static LatencyHistogram of(Map<Integer, Long> counts) {
        LatencyHistogram histogram = new LatencyHistogram();
        counts.forEach(histogram::add);
        return histogram;
    }

    public void record(long millis) {
        add(bucketOf(millis), 1);
    }

    public void add(int bucket, long count) {
        if (count > 0) {
            counts.merge(bucket, count, Long::sum);
        }
    }

    public void merge(LatencyHistogram other) {
        other.counts.forEach(this::add);
    }

    public Map<Integer, Long> counts() {
        return Map.copyOf(counts);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The {@code q} quantile (0 &lt; q &le; 1) in whole milliseconds, or null when nothing was recorded. */
    public Long quantile(double q) {
        long total = total();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return Math.round(valueOf(bucket.getKey()));
            }
        }
        return Math.round(valueOf(counts.lastKey()));
    }
}
