package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.testing.TestJobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Jobs and chunks for the contract suites. A real table is shared by every test of a run, so each test takes a
 * tenant of its own and new job ids; every time is fixed, so that a run is the same on every machine.
 */
public final class ContractJobs {
    /**
     * Far ahead of any real clock, so that no reaper takes a contract job for overdue or stalled; the sweeps suite's
     * own eras lie before it.
     */
    public static final Instant T0 = Instant.parse("2100-01-01T00:00:00Z");

    private ContractJobs() {
    }

    public static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }

    /** A job just accepted at {@link #T0}, with the default settings. */
    public static Job accepted(String tenant) {
        return accepted(tenant, "contract-job", T0, JobSettings.DEFAULTS);
    }

    public static Job accepted(String tenant, String name, Instant createdAt, JobSettings settings) {
        return Job.accepted(TestJobs.newId(), tenant, name, createdAt, JobInput.inline("work/none"), settings, null);
    }

    /** A whole chunk whose stats follow from its counters: a 2xx per ok row, a timeout per error. */
    public static ChunkResult chunk(int index, Counters counters) {
        return new ChunkResult(index, counters.done(), "p" + index, counters,
                new ChunkStats(Map.of("2xx", counters.ok()), Map.of("timeout", counters.errored()), 10, counters.done(),
                        Map.of(50, counters.ok()), 7));
    }

    /** A segment of a chunk: its lines from {@code start}, complete when it ends the chunk. */
    public static ChunkResult segment(int chunk, int start, long rows, boolean complete) {
        return new ChunkResult(chunk, start, rows, "p" + chunk + "-" + start, new Counters(rows, 0, 0),
                new ChunkStats(Map.of("2xx", rows), Map.of(), rows, rows, Map.of(), 1), complete);
    }

    /** Runs {@code tasks} calls at once, each released by one latch, and returns their answers in call order. */
    public static <T> List<T> atOnce(int tasks, IntFunction<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks)) {
            List<Future<T>> answers = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.apply(index);
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> answer : answers) {
                results.add(answer.get());
            }
            return results;
        }
    }
}
