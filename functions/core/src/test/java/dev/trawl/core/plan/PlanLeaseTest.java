package dev.trawl.core.plan;

import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.testing.ForwardingBlobStore;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryPlanLeases;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planning lease, checkpoints and continuations, and a plan given up. */
class PlanLeaseTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";

    private InMemoryJobStore jobs;
    private InMemoryPlanLeases leases;
    private InMemoryBlobStore stored;
    private CountingBlobs blobs;
    private RecordingWorkQueue queue;
    private MutableClock clock;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        leases = new InMemoryPlanLeases(jobs);
        stored = new InMemoryBlobStore();
        blobs = new CountingBlobs(stored);
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    private PlanJob planner(int chunkSize) {
        return new PlanJob(jobs, jobs, leases, blobs, queue, clock, chunkSize, null);
    }

    private Job submit(JobSettings settings, int urls) {
        return TestJobs.submit(jobs, stored, TENANT, NOW, settings,
                IntStream.rangeClosed(1, urls).mapToObj(i -> TestJobs.quoted("https://example.com/" + i)).toList());
    }

    private Job find(Job job) {
        return jobs.find(TENANT, job.id()).orElseThrow();
    }

    /** Every chunk file's entries' line numbers, in chunk order; each file must have been written exactly once. */
    private List<Long> linesInChunkOrder(Job job) {
        int chunks = find(job).chunksTotal();
        List<Long> lines = new ArrayList<>();
        for (int index = 0; index < chunks; index++) {
            String key = BucketLayout.chunk(job.id(), index);
            assertEquals(1, blobs.puts.getOrDefault(key, new AtomicInteger()).get(), key + " written once");
            for (String line : stored.text(key).split("\n")) {
                lines.add(InputEntry.fromLine(line).line());
            }
        }
        assertEquals(chunks, stored.keys(BucketLayout.chunksPrefix(job.id())).size(), "no other chunk file");
        return lines;
    }

    private void assertEachChunkSentOnce(Job job) {
        List<Integer> sent = queue.chunks.stream().map(ChunkTask::chunk).sorted().toList();
        assertEquals(IntStream.range(0, find(job).chunksTotal()).boxed().toList(), sent);
    }

    @Test
    void aPlanThatRunsOutOfTimeCheckpointsAndGoesOnInANewInvocation() throws Exception {
        // every chunk file takes a second of the clock; an invocation stops 30 s before its deadline, 35 s away
        blobs.secondsPerPut = 1;
        Job job = submit(TestJobs.settings().regexFilter("/[0-9]*[02468]$").maxUrls(90).build(), 250);

        int invocations = 0;
        JobRef ref = new JobRef(TENANT, job.id());
        queue.planRequests.add(ref);
        while (!queue.planRequests.isEmpty()) {
            queue.planRequests.removeFirst();
            invocations++;
            // one write in flight: each chunk's time has passed before the next is cut, whatever the machine's load
            planner(4).inFlight(1, 1).plan(ref, clock.instant().plusSeconds(35));
            assertTrue(invocations < 50, "the plan ends");
        }

        Job planned = find(job);
        assertTrue(invocations >= 3, "the plan took " + invocations + " invocations");
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(90L, planned.urlsTotal(), "max_urls counted across continuations");
        assertEquals(160, planned.urlsFiltered(), "125 odd and 35 past max_urls");
        assertEquals(23, planned.chunksTotal());
        assertEquals(IntStream.rangeClosed(1, 90).mapToObj(i -> (long) 2 * i).toList(), linesInChunkOrder(job));
        assertEachChunkSentOnce(job);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoPlannersRacingOnOneJobWriteOnceThroughOne() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 95);
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch secondPlannerDone = new CountDownLatch(1);
        blobs.beforePut = () -> {
            firstWriteStarted.countDown();
            await(secondPlannerDone);
        };
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> firstPlan = first.submit(() -> {
                planner(10).plan(new JobRef(TENANT, job.id()));
                return null;
            });
            assertTrue(firstWriteStarted.await(10, TimeUnit.SECONDS));

            // a duplicate plan message while the first planner writes: it finds the lease and comes back later
            assertThrows(PlanJob.LeaseHeld.class, () -> planner(10).plan(new JobRef(TENANT, job.id())));
            assertTrue(blobs.puts.isEmpty(), "the second planner wrote nothing (the first one is held at its first write)");
            assertTrue(queue.chunks.isEmpty());
            secondPlannerDone.countDown();
            firstPlan.get(10, TimeUnit.SECONDS);
        } finally {
            first.shutdownNow();
        }

        assertEquals(PhaseState.DONE, find(job).planState());
        assertEquals(IntStream.rangeClosed(1, 95).mapToObj(i -> (long) i).toList(), linesInChunkOrder(job));
        assertEachChunkSentOnce(job);
    }

    @Test
    void aLeaseTakenWithItsAnswerLostIsGivenUpAtOnce() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 12);
        PlanLeases answerLost = new PlanLeases() {
            @Override
            public Optional<Planning> take(String tenant, String jobId, String owner, Instant now, Instant until) {
                leases.take(tenant, jobId, owner, now, until);
                throw new IllegalStateException("the answer was lost on the way back");
            }

            @Override
            public boolean checkpoint(String tenant, String jobId, String owner, PlanCheckpoint checkpoint, Instant until) {
                return leases.checkpoint(tenant, jobId, owner, checkpoint, until);
            }

            @Override
            public void release(String tenant, String jobId, String owner) {
                leases.release(tenant, jobId, owner);
            }
        };
        PlanJob losing = new PlanJob(jobs, jobs, answerLost, blobs, queue, clock, 5, null);
        assertThrows(IllegalStateException.class, () -> losing.plan(new JobRef(TENANT, job.id())));

        // the message comes back seconds later, long before the lease would have run out
        clock.advance(Duration.ofSeconds(2));
        planner(5).plan(new JobRef(TENANT, job.id()));
        assertEquals(PhaseState.DONE, find(job).planState());
        assertEquals(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) i).toList(), linesInChunkOrder(job));
    }

    @Test
    void aLeaseLeftByAPlannerThatDiedHoldsTheJobOnlyUntilItExpires() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 12);
        assertTrue(leases.take(TENANT, job.id(), "died", NOW, NOW.plus(PlanJob.LEASE)).isPresent());

        clock.advance(PlanJob.LEASE.minusSeconds(1));
        assertThrows(PlanJob.LeaseHeld.class, () -> planner(5).plan(new JobRef(TENANT, job.id())),
                "an I/O failure, so that the request comes back shortly");
        assertEquals(PhaseState.PENDING, find(job).planState(), "the lease still holds");
        assertTrue(blobs.puts.isEmpty());

        clock.advance(Duration.ofSeconds(1));
        planner(5).plan(new JobRef(TENANT, job.id()));
        assertEquals(PhaseState.DONE, find(job).planState());
        assertEquals(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) i).toList(), linesInChunkOrder(job));
    }

    @Test
    void attemptsThatFailWithinMinutesDoNotEndThePlan() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 12);
        for (int attempt = 1; attempt <= PlanJob.MAX_ATTEMPTS + 2; attempt++) {
            // planners whose attempts failed for a passing reason, each message back within seconds
            Instant at = NOW.plus(Duration.ofSeconds(10L * attempt));
            Optional<PlanLeases.Planning> taken = leases.take(TENANT, job.id(), "failed-" + attempt, at, at.plus(PlanJob.LEASE));
            assertTrue(taken.isPresent());
            leases.release(TENANT, job.id(), "failed-" + attempt);
        }
        clock.set(NOW.plus(Duration.ofMinutes(2)));

        planner(5).plan(new JobRef(TENANT, job.id()));

        assertEquals(PhaseState.DONE, find(job).planState());
        assertEquals(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) i).toList(), linesInChunkOrder(job));
    }

    @Test
    void aPlanThatMakesNoProgressIsGivenUpAndAnnounced() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new dev.trawl.core.job.Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = submit(hooked, 12);
        Duration apart = PlanJob.NO_PROGRESS_AFTER.dividedBy(PlanJob.MAX_ATTEMPTS);
        for (int attempt = 1; attempt <= PlanJob.MAX_ATTEMPTS; attempt++) {
            // planners that died before their first checkpoint
            Instant at = NOW.plus(apart.multipliedBy(attempt));
            assertTrue(leases.take(TENANT, job.id(), "died-" + attempt, at, at.plus(PlanJob.LEASE)).isPresent());
        }
        clock.set(NOW.plus(apart.multipliedBy(PlanJob.MAX_ATTEMPTS + 2)));

        planner(5).plan(new JobRef(TENANT, job.id()));

        Job failed = find(job);
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("planning_failed", failed.failure().code());
        assertTrue(blobs.puts.isEmpty());
        assertEquals(List.of(job.id()), queue.webhooks.stream().map(WebhookTask::jobId).toList());
    }

    @Test
    void aPlanStillUnfinishedLongAfterItStartedIsGivenUp() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 12);
        assertTrue(leases.take(TENANT, job.id(), "first", NOW, NOW.plus(PlanJob.LEASE)).isPresent());
        assertTrue(leases.checkpoint(TENANT, job.id(), "first", new PlanLeases.PlanCheckpoint(5, 1, 5, 5, 0, null), NOW));
        clock.set(NOW.plus(PlanJob.MAX_PLANNING).plusSeconds(1));

        planner(5).plan(new JobRef(TENANT, job.id()));

        assertEquals("planning_failed", find(job).failure().code());
        assertNull(find(job).chunksTotal());
    }

    @Test
    void aJobTheReaperEndsWhileItIsPlannedSendsNothingAndKeepsNoChunk() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, 30);
        AtomicInteger writes = new AtomicInteger();
        blobs.beforePut = () -> {
            if (writes.incrementAndGet() == 2) {
                // max_lifetime_s passes before the plan is done: ReapJobs expires the job and ends it
                jobs.expire(TENANT, job.id(), clock.instant());
                jobs.failPlanning(TENANT, job.id(), new dev.trawl.core.job.Failure("planning_failed", "late"), clock.instant());
            }
        };

        planner(5).plan(new JobRef(TENANT, job.id()));

        assertEquals(JobStatus.FAILED, find(job).status());
        assertTrue(queue.chunks.isEmpty(), "nothing goes to the workers");
        assertTrue(stored.keys(BucketLayout.chunksPrefix(job.id())).isEmpty(), "its chunk files are gone");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts each key's writes; can move the clock on or hold a writer back. */
    private final class CountingBlobs extends ForwardingBlobStore {
        final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
        volatile int secondsPerPut;
        volatile Runnable beforePut = () -> {
        };

        CountingBlobs(BlobStore blobs) {
            super(blobs);
        }

        @Override
        public void put(String key, byte[] content, String contentType) {
            beforePut.run();
            puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            synchronized (this) {
                clock.advance(Duration.ofSeconds(secondsPerPut));
            }
            blobs.put(key, content, contentType);
        }
    }
}
