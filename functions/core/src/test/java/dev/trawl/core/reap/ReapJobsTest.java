package dev.trawl.core.reap;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReapJobsTest {
    private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");

    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private MutableClock clock;
    private ReapJobs reaper;
    private RecordingWorkQueue queue;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        clock = new MutableClock(T0);
        queue = new RecordingWorkQueue();
        // the lifetime tests: stalls are looked for only by the tests of their own
        reaper = new ReapJobs(jobs, jobs, queue, clock, Duration.ofDays(3650));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    private Job job(String tenant, Instant createdAt, long lifetimeSeconds) {
        return TestJobs.submit(jobs, blobs, tenant, createdAt, TestJobs.settings().maxLifetimeSeconds(lifetimeSeconds).build(),
                List.of("\"https://example.com/\""));
    }

    private Job running(String tenant, Instant createdAt, long lifetimeSeconds) {
        Job job = job(tenant, createdAt, lifetimeSeconds);
        assertTrue(jobs.markPlanned(tenant, job.id(), 1, 0, 1, createdAt.plusSeconds(1)));
        return find(job);
    }

    private Job find(Job job) {
        return jobs.find(job.tenant(), job.id()).orElseThrow();
    }

    private void assertExpired(Job job) {
        Job now = find(job);
        assertEquals(JobStatus.CANCELLING, now.status(), job.id());
        assertEquals(StopReason.LIFETIME_EXCEEDED, now.stopReason());
        assertEquals(clock.instant(), now.updatedAt());
        assertEquals(job.urlsTotal(), now.urlsTotal(), "nothing else changes");
        assertEquals(job.counters(), now.counters());
    }

    /** A job stopped before it was ever planned ends at once, failed, and its plan message goes to announce it. */
    private void assertEndedUnplanned(Job job) {
        Job now = find(job);
        assertEquals(JobStatus.FAILED, now.status(), job.id());
        assertEquals("planning_failed", now.failure().code());
        assertEquals(PhaseState.FAILED, now.planState());
        assertEquals(clock.instant(), now.completedAt());
        assertTrue(queue.planRequests.contains(new JobRef(job.tenant(), job.id())), "the planner announces it");
    }

    @Test
    void onlyLiveJobsPastTheirDeadlineAreStopped() {
        Job queuedDue = job("tenant-a", T0, 60);
        Job runningDue = running("tenant-a", T0, 60);
        Job otherTenantDue = running("tenant-b", T0.plusSeconds(10), 60);
        Job notYetDue = running("tenant-a", T0, 3_600);
        Job completed = JobBuilder.from(running("tenant-a", T0, 60)).status(JobStatus.COMPLETED).build();
        jobs.put(completed);
        Job cancelling = running("tenant-a", T0, 60);
        assertTrue(jobs.cancel("tenant-a", cancelling.id(), T0.plusSeconds(5)));
        cancelling = find(cancelling);
        Job finished = running("tenant-a", T0, 60);
        assertTrue(jobs.finish("tenant-a", finished.id(), JobStatus.RUNNING, JobStatus.FAILED, null, List.of(), T0.plusSeconds(30)));
        finished = find(finished);
        clock.set(T0.plusSeconds(120));

        int stopped = reaper.reap().stopped();

        assertEquals(3, stopped);
        assertEndedUnplanned(queuedDue);
        assertExpired(runningDue);
        assertExpired(otherTenantDue);
        assertEquals(notYetDue, find(notYetDue));
        assertEquals(completed, find(completed));
        assertEquals(cancelling, find(cancelling), "already stopping: its stop reason stays cancelled");
        assertEquals(finished, find(finished));
    }

    @Test
    void theDeadlineItselfIsNotYetPast() {
        Job job = running("tenant-a", T0, 60);

        clock.set(T0.plusSeconds(60));
        assertEquals(0, reaper.reap().stopped());
        assertEquals(JobStatus.RUNNING, find(job).status());
        assertNull(find(job).stopReason());

        clock.set(T0.plusSeconds(60).plusMillis(1));
        assertEquals(1, reaper.reap().stopped());
        assertExpired(job);
    }

    @Test
    void reapingAgainStopsNothingMore() {
        Job job = running("tenant-a", T0, 60);
        clock.set(T0.plusSeconds(61));
        assertEquals(1, reaper.reap().stopped());
        Job once = find(job);

        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, reaper.reap().stopped());

        assertEquals(once, find(job));
    }

    @Test
    void nothingDueNothingDone() {
        Job job = running("tenant-a", T0, 86_400);
        clock.set(T0.plus(Duration.ofHours(23)));
        assertEquals(0, reaper.reap().stopped());
        assertEquals(job, find(job));
    }

    @Test
    void moreOverdueJobsThanOnePageAreAllStopped() {
        List<Job> due = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            due.add(i % 2 == 0 ? job("tenant-a", T0.plusMillis(i), 60) : running("tenant-a", T0.plusMillis(i), 60));
        }
        clock.set(T0.plusSeconds(600));

        assertEquals(250, reaper.reap().stopped());

        for (Job job : due) {
            if (job.planState() == PhaseState.PENDING) {
                assertEndedUnplanned(job);
            } else {
                assertExpired(job);
            }
        }
    }

    /** Jobs already stopping stay overdue until they end; however many, they must not hide the ones behind them. */
    @Test
    void jobsStuckStoppingDoNotHideLaterOverdueJobs() {
        for (int i = 0; i < 150; i++) {
            Job stuck = job("tenant-a", T0.plusMillis(i), 60);
            assertTrue(jobs.cancel("tenant-a", stuck.id(), T0.plusSeconds(1)));
        }
        Job later = running("tenant-a", T0.plusSeconds(30), 60);
        clock.set(T0.plusSeconds(600));

        assertEquals(1, reaper.reap().stopped());

        assertExpired(later);
    }

    // ---- stalled jobs ----------------------------------------------------------------------------------

    private ReapJobs stallReaper() {
        return new ReapJobs(jobs, jobs, queue, clock, Duration.ofMinutes(30));
    }

    @Test
    void aJobNeverPlannedIsPlannedAgainOnceItHasWaitedLongEnough() {
        Job job = job("acme", T0, 86_400);
        clock.set(T0.plus(Duration.ofMinutes(29)));
        assertEquals(0, stallReaper().reap().resumed());
        assertTrue(queue.planRequests.isEmpty());

        clock.set(T0.plus(Duration.ofMinutes(31)));
        assertEquals(1, stallReaper().reap().resumed());
        assertEquals(List.of(new JobRef("acme", job.id())), queue.planRequests);
        assertEquals(clock.instant(), find(job).updatedAt(), "touched, so the next sweep waits again");
        assertEquals(0, stallReaper().reap().resumed());
    }

    @Test
    void aRunningJobWithChunksMissingIsPlannedAgainToSendThemAgain() {
        Job job = running("acme", T0, 86_400);
        clock.set(T0.plus(Duration.ofHours(1)));
        assertEquals(1, stallReaper().reap().resumed());
        assertEquals(List.of(new JobRef("acme", job.id())), queue.planRequests);
    }

    @Test
    void aJobWithEveryChunkDoneButNoFinalizeHasFinalizeClaimedAndAskedFor() {
        Job job = running("acme", T0, 86_400);
        jobs.commitChunk("acme", job.id(), new ChunkResult(0, 1, "part", new Counters(1, 0, 0), ChunkStats.NONE),
                T0.plusSeconds(2));
        clock.set(T0.plus(Duration.ofHours(1)));

        assertEquals(1, stallReaper().reap().resumed());
        assertEquals(List.of(new JobRef("acme", job.id())), queue.finalizeRequests);
        assertEquals(PhaseState.RUNNING, find(job).finalizeState());
        assertTrue(queue.planRequests.isEmpty());

        // the finalize request is lost too: an hour later it is asked for again
        clock.set(T0.plus(Duration.ofHours(2)));
        assertEquals(1, stallReaper().reap().resumed());
        assertEquals(2, queue.finalizeRequests.size());
    }

    @Test
    void aJobThatMovesIsLeftAlone() {
        Job job = running("acme", T0, 86_400);
        clock.set(T0.plus(Duration.ofMinutes(50)));
        jobs.touch("acme", job.id(), T0.plus(Duration.ofMinutes(45)));
        assertEquals(0, stallReaper().reap().resumed());
        assertTrue(queue.planRequests.isEmpty() && queue.finalizeRequests.isEmpty());
    }
}
