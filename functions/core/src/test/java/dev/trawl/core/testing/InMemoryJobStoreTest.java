package dev.trawl.core.testing;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake keeps the real store's conditions, so that what the use cases are tested against is what they meet. */
class InMemoryJobStoreTest {
    private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();

    private Job queued() {
        return TestJobs.submit(store, blobs, "t", T0, JobSettings.DEFAULTS, List.of());
    }

    private Job find(Job job) {
        return store.find(job.tenant(), job.id()).orElseThrow();
    }

    private static ChunkResult chunk(int index, Counters counters) {
        return new ChunkResult(index, counters.done(), "p" + index, counters,
                new ChunkStats(Map.of("2xx", counters.ok()), Map.of("timeout", counters.errored()), 10, counters.done(),
                        Map.of(50, counters.ok()), 7));
    }

    @Test
    void createKeepsOnlyWhatANewJobHas() {
        Job given = JobBuilder.from(Job.accepted(TestJobs.newId(), "t", "n", T0, JobInput.inline("k"), JobSettings.DEFAULTS, null))
                .counters(new Counters(5, 5, 5)).urlsTotal(99L).stopReason(StopReason.CANCELLED).build();
        store.create(given);
        Job stored = find(given);
        assertEquals(Counters.ZERO, stored.counters());
        assertEquals(99L, stored.urlsTotal(), "a job from a checked upload is created with its count");
        assertNull(stored.stopReason());
        assertThrows(IllegalStateException.class, () -> store.create(given));
    }

    @Test
    void markPlannedOnce() {
        Job job = queued();
        assertTrue(store.markPlanned("t", job.id(), 10, 2, 3, T0.plusSeconds(1)));
        assertFalse(store.markPlanned("t", job.id(), 11, 0, 4, T0.plusSeconds(2)));
        Job planned = find(job);
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(10L, planned.urlsTotal());
        assertEquals(2, planned.urlsFiltered());
        assertEquals(3, planned.chunksTotal());
        assertEquals(T0.plusSeconds(1), planned.startedAt());
        assertFalse(store.markPlanned("t", "job_none", 1, 0, 1, T0));
    }

    @Test
    void commitsCountOnceAndSumTheirStats() {
        Job job = queued();
        store.markPlanned("t", job.id(), 6, 0, 2, T0);
        assertEquals(ChunkLedger.ChunkCommit.COMMITTED, store.commitChunk("t", job.id(), chunk(1, new Counters(2, 1, 0)), T0));
        assertEquals(ChunkLedger.ChunkCommit.ALREADY_COMMITTED, store.commitChunk("t", job.id(), chunk(1, new Counters(3, 0, 0)), T0));
        assertFalse(store.claimFinalize("t", job.id(), T0), "a chunk is missing");
        assertEquals(ChunkLedger.ChunkCommit.COMMITTED, store.commitChunk("t", job.id(), chunk(0, new Counters(1, 1, 1)), T0));

        assertEquals(new Counters(3, 2, 1), find(job).counters());
        assertEquals(2, find(job).chunksDone());
        assertEquals(List.of(0, 1), java.util.stream.StreamSupport.stream(store.committedChunks(job.id()).spliterator(), false)
                .map(ChunkResult::chunk).toList());
        var metrics = store.metrics("t", job.id()).orElseThrow();
        assertEquals(3L, metrics.httpClasses().get("2xx"));
        assertEquals(0L, metrics.httpClasses().get("5xx"));
        assertEquals(Map.of("timeout", 2L), metrics.errors());
        assertEquals(20, metrics.bytesFetched());
        assertEquals(3, metrics.latency().total());
        assertNull(metrics.maxFetchMs(), "kept by recordMaxFetchMs, not by the commit");
        store.recordMaxFetchMs("t", job.id(), 70);
        store.recordMaxFetchMs("t", job.id(), 30);
        assertEquals(70L, store.metrics("t", job.id()).orElseThrow().maxFetchMs());

        assertTrue(store.claimFinalize("t", job.id(), T0));
        assertFalse(store.claimFinalize("t", job.id(), T0), "once");
        store.releaseFinalize("t", job.id());
        assertEquals(PhaseState.PENDING, find(job).finalizeState());
        assertTrue(store.claimFinalize("t", job.id(), T0));
        assertThrows(IllegalStateException.class, () -> store.commitChunk("t", "job_none", chunk(0, Counters.ZERO), T0));
        assertThrows(IllegalStateException.class, () -> store.commitChunk("other", job.id(), chunk(5, Counters.ZERO), T0));
    }

    @Test
    void stopsFollowTheirConditions() {
        Job job = queued();
        assertFalse(store.stopForErrors("t", job.id(), -1, T0), "a queued job does not stop for errors");
        store.markPlanned("t", job.id(), 4, 0, 1, T0);
        store.commitChunk("t", job.id(), chunk(0, new Counters(1, 2, 0)), T0);
        assertFalse(store.stopForErrors("t", job.id(), 2, T0), "2 errors are within 2");
        assertTrue(store.stopForErrors("t", job.id(), 1, T0));
        assertFalse(store.stopForErrors("t", job.id(), 1, T0), "once");
        assertTrue(store.cancel("t", job.id(), T0));
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, find(job).stopReason(), "a cancel keeps the first reason");
        assertFalse(store.cancel("t", job.id(), T0));
        assertFalse(store.expire("t", job.id(), T0), "only queued or running jobs expire");

        Job other = queued();
        assertTrue(store.expire("t", other.id(), T0));
        assertEquals(StopReason.LIFETIME_EXCEEDED, find(other).stopReason());
        assertEquals(JobStatus.CANCELLING, find(other).status());
    }

    @Test
    void finishIsConditionalAndTakesTheJobOffTheDeadlineIndex() {
        Job job = queued();
        store.markPlanned("t", job.id(), 0, 0, 0, T0);
        Instant late = T0.plusSeconds(JobSettings.DEFAULT_MAX_LIFETIME_S + 1);
        assertEquals(List.of(new JobRef("t", job.id())), store.overdue(late, 10));
        assertFalse(store.finish("t", job.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), T0));
        assertTrue(store.finish("t", job.id(), JobStatus.RUNNING, JobStatus.FAILED, new Failure("x", "y"), List.of(), T0));
        assertEquals(JobStatus.FAILED, find(job).status());
        assertEquals(new Failure("x", "y"), find(job).failure());
        assertTrue(store.overdue(late, 10).isEmpty());
        assertEquals(JobStore.Purge.REMOVED, store.purge("t", job.id()));
        assertEquals(JobStore.Purge.ABSENT, store.purge("t", job.id()));
        assertEquals(JobStore.Purge.ACTIVE, store.purge("t", queued().id()));
    }

    @Test
    void idempotencyKeysExpireByTheSecond() {
        Job first = Job.accepted(TestJobs.newId(), "t", null, T0, JobInput.inline("k"), JobSettings.DEFAULTS, null);
        assertInstanceOf(IdempotencyKeys.IdempotentCreate.Created.class, store.createOnce(first, "key", "fp", T0, T0.plusSeconds(10)));
        Job second = Job.accepted(TestJobs.newId(), "t", null, T0, JobInput.inline("k"), JobSettings.DEFAULTS, null);
        assertEquals(new IdempotencyKeys.IdempotentCreate.Taken(first.id(), "fp"),
                store.createOnce(second, "key", "other", T0.plusSeconds(10).plusMillis(999), T0.plusSeconds(20)));
        assertTrue(store.find("t", second.id()).isEmpty(), "not stored when the key is taken");
        assertInstanceOf(IdempotencyKeys.IdempotentCreate.Created.class,
                store.createOnce(second, "key", "other", T0.plusSeconds(11), T0.plusSeconds(20)));
        store.forget("t", "key", first.id());
        assertEquals(1, store.idempotencyKeyCount(), "the key now points at another job");
        store.forget("t", "key", second.id());
        assertEquals(0, store.idempotencyKeyCount());
    }

    @Test
    void progressSamplesRotateAfterTheirMinimumAge() {
        Job job = queued();
        store.markPlanned("t", job.id(), 10, 0, 2, T0);
        store.commitChunk("t", job.id(), chunk(0, new Counters(4, 0, 0)), T0);
        store.sampleProgress("t", job.id(), T0.plusSeconds(5), 20);
        assertEquals(new Job.RateSample(null, 0, T0.plusSeconds(5), 4), find(job).rate());
        store.commitChunk("t", job.id(), chunk(1, new Counters(3, 0, 0)), T0);
        store.sampleProgress("t", job.id(), T0.plusSeconds(20), 20);
        assertEquals(new Job.RateSample(null, 0, T0.plusSeconds(5), 4), find(job).rate(), "too soon");
        store.sampleProgress("t", job.id(), T0.plusSeconds(26), 20);
        assertEquals(new Job.RateSample(T0.plusSeconds(5), 4, T0.plusSeconds(26), 7), find(job).rate());
    }

    @Test
    void listFiltersAndPages() {
        Job a = queued();
        Job b = queued();
        Job c = queued();
        store.cancel("t", b.id(), T0);
        var page = store.list("t", new JobStore.JobQuery(EnumSet.of(JobStatus.QUEUED), null, 1, null));
        assertEquals(List.of(c.id()), page.jobs().stream().map(Job::id).toList());
        assertEquals(c.id(), page.nextBeforeId());
        page = store.list("t", new JobStore.JobQuery(EnumSet.of(JobStatus.QUEUED), null, 1, page.nextBeforeId()));
        assertEquals(List.of(a.id()), page.jobs().stream().map(Job::id).toList());
        assertNull(page.nextBeforeId(), "no match left");
        assertEquals(3, store.list("t", new JobStore.JobQuery(null, "test-", 10, null)).jobs().size());
        assertTrue(store.list("t", new JobStore.JobQuery(null, "x", 10, null)).jobs().isEmpty());
        assertTrue(store.list("u", new JobStore.JobQuery(null, null, 10, null)).jobs().isEmpty());
    }
}
