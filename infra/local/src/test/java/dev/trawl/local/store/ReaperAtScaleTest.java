package dev.trawl.local.store;

import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoJobSweeps;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.reap.ReapJobs;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.testing.contract.ContractJobs;
import dev.trawl.core.util.Log;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reaper on DynamoDB with 1,000 overdue jobs and 20 stalled ones (core's ReapJobsBudgetTest has 3,000 on the fake), in a table of its own: each run reads the
 * deadline index within its budget (Queries and entries read counted on the ports), the overdue are all stopped after
 * enough runs, and the stalled are driven on in the first runs, while most overdue jobs still wait.
 */
@ExtendWith(LocalStackExtension.class)
class ReaperAtScaleTest {
    private static final Instant T0 = ContractJobs.T0.plus(Duration.ofDays(3_650));
    private static final Instant NOW = T0.plus(Duration.ofHours(1));
    private static final int OVERDUE = 1_000;
    private static final int STALLED = 20;
    private static final ReapJobs.Budget BUDGET = new ReapJobs.Budget(300, 150, Duration.ofSeconds(20));
    private static final AtomicInteger TABLES = new AtomicInteger();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger entriesRead = new AtomicInteger();

    @BeforeEach
    void quiet() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    @SuppressWarnings("unchecked")
    private <T> T counted(Class<T> port, Object target) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
            try {
                Object result = method.invoke(target, args);
                if (result instanceof JobSweeps.Page page) {
                    entriesRead.addAndGet(page.read());
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    private static Job job(String tenant, Instant createdAt, long lifetimeSeconds) {
        return ContractJobs.accepted(tenant, "scale", createdAt, TestJobs.settings().maxLifetimeSeconds(lifetimeSeconds).build());
    }

    @Test
    void aThousandStuckJobsAreReapedRunAfterRunWithinTheBudget(LocalRuntime runtime) throws Exception {
        String name = "ReaperScaleTable" + TABLES.incrementAndGet();
        runtime.createTableLike("Table", name);
        DynamoTable table = new DynamoTable(runtime.clients().dynamoDb(), name);
        DynamoJobStore store = new DynamoJobStore(table);
        List<Job> overdue = new ArrayList<>();
        List<Job> stalled = new ArrayList<>();
        for (int i = 0; i < OVERDUE; i++) {
            // a minute to live from ten minutes before NOW: overdue, and changed too lately to be stalled
            overdue.add(job("scale-" + (i % 11), T0.plus(Duration.ofMinutes(50)).plusMillis(i), 60));
        }
        for (int i = 0; i < STALLED; i++) {
            stalled.add(job("scale-stalled", T0.plusMillis(i), 86_400));
        }
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Job job : overdue) {
                writes.add(writers.submit(() -> {
                    store.create(job);
                    // planned, so that stopping it leaves it cancelling (a job never planned would end failed at once)
                    store.markPlanned(job.tenant(), job.id(), 1, 0, 1, job.createdAt());
                }));
            }
            for (Job job : stalled) {
                writes.add(writers.submit(() -> store.create(job)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdownNow();
        }
        MutableClock clock = new MutableClock(NOW);
        RecordingWorkQueue queue = new RecordingWorkQueue();
        ReapJobs reaper = new ReapJobs(counted(JobStore.class, store), counted(JobSweeps.class, new DynamoJobSweeps(table)),
                queue, clock, Duration.ofMinutes(30), BUDGET);
        Set<String> stalledIds = new HashSet<>(stalled.stream().map(Job::id).toList());

        int stopped = 0;
        int runs = 0;
        int stalledDoneAtRun = -1;
        while (stopped < OVERDUE || stalledDoneAtRun < 0) {
            assertTrue(++runs <= 15, "every stuck job is handled after enough runs");
            calls.clear();
            entriesRead.set(0);
            stopped += reaper.reap(Duration.ofSeconds(60)).stopped();

            assertTrue(entriesRead.get() <= 2 * BUDGET.reads(), "entries read in run " + runs + ": " + entriesRead.get());
            int queries = calls("overduePage") + calls("idlePage");
            // a page per 100 entries, and one more per shard each pass may find empty or end in
            assertTrue(queries <= 2 * (BUDGET.reads() / 100 + 8), "Queries in run " + runs + ": " + queries);
            assertTrue(calls("expire") <= BUDGET.visits(), "stops tried in run " + runs + ": " + calls("expire"));
            assertTrue(calls("idlePage") > 0, "the idle pass ran in run " + runs);
            if (stalledDoneAtRun < 0 && queue.planRequests.stream().map(JobRef::jobId).filter(stalledIds::contains)
                    .distinct().count() == STALLED) {
                stalledDoneAtRun = runs;
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(OVERDUE, stopped);
        for (Job job : overdue.subList(0, 50)) {
            assertEquals(JobStatus.CANCELLING, store.find(job.tenant(), job.id()).orElseThrow().status());
        }
        // the idle pass goes through the 1,020 entries in 4 runs; stopping 1,000 takes 7
        assertTrue(stalledDoneAtRun <= 4, "stalled jobs driven on by run " + stalledDoneAtRun);
        assertTrue(runs >= 7, "runs " + runs);
    }
}
