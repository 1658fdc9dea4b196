package dev.trawl.core.reap;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reaper with thousands of stuck jobs: every run stays within its budget (counted in store calls and index
 * entries read, not in wall time), every stuck job is handled after enough runs, and stalled jobs are driven on while
 * thousands are overdue.
 */
class ReapJobsBudgetTest {
    private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofHours(1));
    private static final int OVERDUE = 3_000;
    private static final int STALLED = 40;
    private static final ReapJobs.Budget BUDGET = new ReapJobs.Budget(500, 200, Duration.ofSeconds(20));

    private InMemoryJobStore store;
    private InMemoryBlobStore blobs;
    private MutableClock clock;
    private RecordingWorkQueue queue;
    /** Calls by method name, and index entries read, since the last reset. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger entriesRead = new AtomicInteger();
    private volatile Duration perPage = Duration.ZERO;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        store = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        clock = new MutableClock(T0);
        queue = new RecordingWorkQueue();
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    /** A port over the store that counts its calls (and, for pages, the entries read and the time a page takes). */
    @SuppressWarnings("unchecked")
    private <T> T counted(Class<T> port) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
            Object result;
            try {
                result = method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof JobSweeps.Page page) {
                entriesRead.addAndGet(page.read());
                clock.advance(perPage);
            }
            return result;
        });
    }

    private int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    private ReapJobs reaper() {
        return new ReapJobs(counted(JobStore.class), counted(JobSweeps.class), queue, clock, Duration.ofMinutes(30), BUDGET);
    }

    /** Planned jobs past their one-minute lifetime at NOW, changed 10 minutes before: overdue, not stalled. */
    private List<Job> overdue(int count) {
        List<Job> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant changed = T0.plus(Duration.ofMinutes(50)).plusMillis(i);
            Job job = TestJobs.submit(store, blobs, "tenant-" + (i % 7), changed,
                    TestJobs.settings().maxLifetimeSeconds(60).build(), List.of("\"https://example.com/\""));
            // planned, so that stopping it leaves it cancelling (a job never planned would end failed at once)
            store.markPlanned(job.tenant(), job.id(), 1, 0, 1, changed);
            made.add(job);
        }
        return made;
    }

    /** Jobs with a day to live, never planned, unchanged for an hour at NOW: stalled. */
    private List<Job> stalled(int count) {
        List<Job> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(TestJobs.submit(store, blobs, "stalled", T0.plusMillis(i),
                    TestJobs.settings().maxLifetimeSeconds(86_400).build(), List.of("\"https://example.com/\"")));
        }
        return made;
    }

    private JobStatus status(Job job) {
        return store.find(job.tenant(), job.id()).orElseThrow().status();
    }

    @Test
    void thousandsOfStuckJobsAreHandledOverRunsEachWithinItsBudgetAndStalledJobsAreNotStarved() {
        List<Job> overdue = overdue(OVERDUE);
        List<Job> stalled = stalled(STALLED);
        clock.set(NOW);
        ReapJobs reaper = reaper();
        Set<String> stalledIds = new HashSet<>(stalled.stream().map(Job::id).toList());

        int stopped = 0;
        int runs = 0;
        int stalledDoneAtRun = -1;
        while (stopped < OVERDUE || stalledDoneAtRun < 0) {
            assertTrue(++runs <= 30, "every stuck job is handled after enough runs");
            calls.clear();
            entriesRead.set(0);
            ReapJobs.Sweep sweep = reaper.reap(Duration.ofSeconds(60));
            stopped += sweep.stopped();

            // the budget of a run, whatever the number of stuck jobs: 2 passes of 500 entries and 200 visits
            assertTrue(entriesRead.get() <= 2 * BUDGET.reads(), "entries read in run " + runs + ": " + entriesRead.get());
            int pages = calls("overduePage") + calls("idlePage");
            assertTrue(pages <= 2 * (BUDGET.reads() / ReapJobs.PAGE + 1), "pages in run " + runs + ": " + pages);
            assertTrue(calls("expire") <= BUDGET.visits(), "stops tried in run " + runs + ": " + calls("expire"));
            assertTrue(calls("find") <= BUDGET.visits(), "jobs looked at in run " + runs + ": " + calls("find"));
            assertEquals(2, calls("cursor"), "each pass reads its place once");
            assertEquals(2, calls("saveCursor"), "and keeps it once");
            assertTrue(calls("idlePage") > 0, "the idle pass runs in every run, however many jobs are overdue");

            long planRequested = queue.planRequests.stream().map(JobRef::jobId).filter(stalledIds::contains).distinct().count();
            if (stalledDoneAtRun < 0 && planRequested == STALLED) {
                stalledDoneAtRun = runs;
            }
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(OVERDUE, stopped);
        for (Job job : overdue) {
            assertEquals(JobStatus.CANCELLING, status(job), job.id());
        }
        // the idle pass reads the whole index (3,040 entries) in ceil(3,040 / 500) = 7 runs, while the overdue pass
        // needs 3,000 / 200 = 15: stalled jobs were driven on long before the overdue ones were all stopped
        assertTrue(stalledDoneAtRun <= 7, "stalled jobs all driven on by run " + stalledDoneAtRun);
        assertTrue(runs >= 15, "runs " + runs);
        assertEquals(STALLED, queue.planRequests.stream().map(JobRef::jobId).filter(stalledIds::contains).count(),
                "each stalled job asked for once: touched, it waits again");
    }

    @Test
    void aSlowOverduePassStopsAtItsShareOfTheInvocationAndLeavesTheIdlePassItsOwn() {
        overdue(OVERDUE);
        List<Job> stalledJobs = stalled(5);
        clock.set(NOW);
        perPage = Duration.ofSeconds(4); // a page that takes 4 s: the 60 s invocation gives each pass 27.5 s, at most 20
        ReapJobs.Budget generous = new ReapJobs.Budget(100_000, 100_000, Duration.ofSeconds(20));
        ReapJobs reaper = new ReapJobs(counted(JobStore.class), counted(JobSweeps.class), queue, clock,
                Duration.ofMinutes(30), generous);

        ReapJobs.Sweep sweep = reaper.reap(Duration.ofSeconds(60));

        assertEquals(5, calls("overduePage"), "pages started within 20 s: at 0, 4, 8, 12 and 16 s");
        assertEquals(500, sweep.stopped());
        assertEquals(5, calls("idlePage"), "the idle pass had its own 20 s");
        assertEquals(0, sweep.resumed(), "the stalled jobs lie behind the 500 entries it read");
        assertEquals(NOW.plusSeconds(40), clock.instant());

        // the next runs go on where these stopped, and reach the stalled jobs
        int resumed = 0;
        for (int run = 0; run < 6 && resumed < 5; run++) {
            clock.advance(Duration.ofMinutes(1));
            resumed += reaper.reap(Duration.ofSeconds(60)).resumed();
        }
        assertEquals(5, resumed);
        for (Job job : stalledJobs) {
            assertTrue(queue.planRequests.contains(new JobRef(job.tenant(), job.id())));
        }
    }

    @Test
    void aPassThatReachesTheEndOfTheIndexStartsOverAtTheNextRun() {
        List<Job> jobs = overdue(250);
        clock.set(NOW);
        ReapJobs reaper = reaper();
        assertEquals(200, reaper.reap().stopped(), "the visits' budget");
        assertEquals(50, reaper.reap().stopped(), "the rest, from where the last run stopped");
        calls.clear();
        assertEquals(0, reaper.reap().stopped(), "from the start again: every job is stopping already");
        assertTrue(calls("expire") <= BUDGET.visits());
        for (Job job : jobs) {
            assertEquals(JobStatus.CANCELLING, status(job));
        }
    }

    @Test
    void atMostAHundredStalledJobsAreDrivenOnPerRunTheRestAtTheNext() {
        List<Job> stalledJobs = stalled(150);
        clock.set(NOW);
        ReapJobs reaper = new ReapJobs(store, store, queue, clock, Duration.ofMinutes(30));
        assertEquals(ReapJobs.MAX_RESUMED, reaper.reap().resumed());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(50, reaper.reap().resumed(), "from where the last run stopped");
        assertEquals(new HashSet<>(stalledJobs.stream().map(job -> new JobRef(job.tenant(), job.id())).toList()),
                new HashSet<>(queue.planRequests));
        assertEquals(150, queue.planRequests.size(), "each once");
    }
}
