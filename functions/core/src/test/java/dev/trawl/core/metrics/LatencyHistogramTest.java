package dev.trawl.core.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {
    private static final double[] QUANTILES = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};

    /** The exact q quantile as the histogram defines it: the value at rank ceil(q * n). */
    private static long exact(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static void assertClose(long exact, Long estimate, String what) {
        // within 5 %, and at least within the whole millisecond the estimate is rounded to
        double tolerance = Math.max(1, exact * 0.05);
        assertTrue(estimate != null && Math.abs(estimate - exact) <= tolerance,
                what + ": estimate " + estimate + ", exact " + exact);
    }

    private static long[] lognormal(Random random, int n, double median, double sigma) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.round(median * Math.exp(random.nextGaussian() * sigma));
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 20_260_512})
    void quantilesAreWithin5PercentOfTheExactOnes(long seed) {
        Random random = new Random(seed);
        List<long[]> samples = List.of(
                lognormal(random, 10_000, 80, 1.0),
                lognormal(random, 5_000, 3, 0.8),
                lognormal(random, 2_000, 2_000, 1.5),
                random.longs(3_000, 0, 120_000).toArray(),
                random.longs(1_000, 0, 5).toArray());
        for (long[] values : samples) {
            LatencyHistogram histogram = new LatencyHistogram();
            for (long value : values) {
                histogram.record(value);
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            assertEquals(values.length, histogram.total());
            for (double q : QUANTILES) {
                assertClose(exact(sorted, q), histogram.quantile(q), "q=" + q + " of " + values.length + " values");
            }
        }
    }

    /** The class promises more: a bucket spans 2^(1/16), so its middle is within 2.2 % of any value in it. */
    @Test
    void quantilesAreWithinTheHalfBucketTheClassPromises() {
        Random random = new Random(11);
        long[] values = lognormal(random, 20_000, 150, 1.3);
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value : values) {
            histogram.record(value);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        double halfBucket = Math.sqrt(Math.pow(2, 1.0 / 16)) - 1;
        for (double q : QUANTILES) {
            long exact = exact(sorted, q);
            Long estimate = histogram.quantile(q);
            assertTrue(Math.abs(estimate - exact) <= exact * halfBucket + 0.5, "q=" + q + ": " + estimate + " for " + exact);
        }
    }

    @Test
    void everyValueUpToTwoMinutesComesBackWithin5Percent() {
        for (long ms = 0; ms <= 120_000; ms++) {
            LatencyHistogram one = new LatencyHistogram();
            one.record(ms);
            assertClose(ms, one.quantile(0.5), ms + " ms alone");
        }
    }

    @Test
    void aQuantileIsTheValueAtTheNearestRankAbove() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(10);
        h.record(100);
        h.record(1000);
        assertClose(10, h.quantile(0.33), "rank ceil(0.99) = 1");
        assertClose(100, h.quantile(0.34), "rank ceil(1.02) = 2");
        assertClose(100, h.quantile(0.5), "rank ceil(1.5) = 2");
        assertClose(1000, h.quantile(0.67), "rank 3");
        assertClose(1000, h.quantile(1.0), "the largest");
    }

    @Test
    void mergingTwoEqualsOneFilledWithBoth() {
        Random random = new Random(99);
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram both = new LatencyHistogram();
        for (long value : lognormal(random, 4_000, 120, 1.2)) {
            a.record(value);
            both.record(value);
        }
        for (long value : lognormal(random, 1_500, 900, 0.5)) {
            b.record(value);
            both.record(value);
        }

        a.merge(b);

        assertEquals(both.counts(), a.counts());
        assertEquals(both.total(), a.total());
        for (double q : QUANTILES) {
            assertEquals(both.quantile(q), a.quantile(q), "q=" + q);
        }
    }

    @Test
    void bucketCountsRoundTripAsAChunkCommitStoresThem() {
        LatencyHistogram original = new LatencyHistogram();
        for (long value : lognormal(new Random(5), 500, 60, 1)) {
            original.record(value);
        }
        LatencyHistogram restored = LatencyHistogram.of(original.counts());
        assertEquals(original.counts(), restored.counts());
        assertEquals(original.quantile(0.95), restored.quantile(0.95));
    }

    @Test
    void mergingAnEmptyHistogramChangesNothing() {
        LatencyHistogram a = new LatencyHistogram();
        a.record(10);
        a.record(20);
        a.merge(new LatencyHistogram());
        assertEquals(2, a.total());
        LatencyHistogram empty = new LatencyHistogram();
        empty.merge(a);
        assertEquals(a.counts(), empty.counts());
    }

    @Test
    void anEmptyHistogramHasNoQuantile() {
        LatencyHistogram empty = new LatencyHistogram();
        assertEquals(0, empty.total());
        assertTrue(empty.counts().isEmpty());
        for (double q : QUANTILES) {
            assertNull(empty.quantile(q));
        }
        assertNull(LatencyHistogram.of(java.util.Map.of()).quantile(0.5));
        LatencyHistogram zeros = LatencyHistogram.of(java.util.Map.of(3, 0L));
        assertNull(zeros.quantile(0.5), "buckets of zero count add nothing");
    }

    @Test
    void zeroMillisecondsIsItsOwnBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(0);
        h.record(0);
        h.record(1000);
        assertEquals(0L, h.quantile(0.5));
        assertClose(1000, h.quantile(1.0), "max");
        List<Integer> buckets = new ArrayList<>(h.counts().keySet());
        assertTrue(buckets.contains(0));
    }
}
