package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore.JobPage;
import dev.trawl.core.port.JobStore.JobQuery;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static dev.trawl.core.testing.contract.ContractJobs.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JobStore}: jobs by tenant, each state change allowed from some states and refused from the others, lists
 * newest first. The cases named {@code ...AsDynamoDbRefusesIt} are writes DynamoDB's conditions refuse: a fake that
 * accepted them would let the use cases pass tests that production fails.
 */
public abstract class JobStoreContract extends JobTableContract {
    private static final Failure FAILURE = new Failure("input_unreadable", "no such input");

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(Job::id).toList();
    }

    private static JobQuery all(int limit) {
        return new JobQuery(null, null, limit, null);
    }

    @Test
    void createKeepsOnlyWhatANewJobHas() {
        Job given = JobBuilder.from(Job.accepted(TestJobs.newId(), tenant, "n", T0,
                        new JobInput("s3", "in/k", null, null, "bucket", "arn:aws:iam::1:role/r",
                                "\"5d41402abc4b2a76b9719d911017c592\""),
                        TestJobs.settings().concurrency(3).maxLifetimeSeconds(60).build(), "job_before"))
                .counters(new Counters(5, 5, 5)).urlsTotal(99L).stopReason(StopReason.CANCELLED).chunksDone(4)
                .startedAt(T0).build();
        jobs.create(given);
        Job stored = find(given);
        assertEquals(Counters.ZERO, stored.counters());
        assertEquals(0, stored.chunksDone());
        assertEquals(99L, stored.urlsTotal(), "a job from a checked upload is created with its count");
        assertNull(stored.stopReason());
        assertNull(stored.startedAt());
        assertEquals(given.input(), stored.input());
        assertEquals(given.settings(), stored.settings());
        assertEquals("job_before", stored.retryOf());
        assertEquals("n", stored.name());
        assertEquals(T0, stored.createdAt());
        assertEquals(T0, stored.updatedAt());
        assertEquals(List.of(PhaseState.PENDING, PhaseState.PENDING, PhaseState.PENDING),
                List.of(stored.planState(), stored.fetchState(), stored.finalizeState()));
    }

    @Test
    void reusingAJobIdIsRefusedAsDynamoDbRefusesIt() {
        Job job = queued();
        jobs.cancel(tenant, job.id(), T0.plusSeconds(1));
        Job again = JobBuilder.from(job).status(JobStatus.QUEUED).build();
        assertThrows(RuntimeException.class, () -> jobs.create(again));
        assertEquals(JobStatus.CANCELLING, find(job).status(), "the first job stands");
    }

    @Test
    void aJobIsFoundByItsTenantOnly() {
        Job job = queued();
        assertTrue(jobs.find(ContractJobs.newTenant(), job.id()).isEmpty());
        assertTrue(jobs.find(tenant, TestJobs.newId()).isEmpty());
        assertEquals(job, jobs.find(tenant, job.id()).orElseThrow());
    }

    @Test
    void markPlannedOnce() {
        Job job = queued();
        assertTrue(jobs.markPlanned(tenant, job.id(), 10, 2, 3, T0.plusSeconds(1)));
        assertFalse(jobs.markPlanned(tenant, job.id(), 11, 0, 4, T0.plusSeconds(2)));
        Job planned = find(job);
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(10L, planned.urlsTotal());
        assertEquals(2, planned.urlsFiltered());
        assertEquals(3, planned.chunksTotal());
        assertEquals(T0.plusSeconds(1), planned.startedAt());
        assertEquals(T0.plusSeconds(1), planned.updatedAt());
        assertEquals(PhaseState.DONE, planned.planState());
        assertEquals(PhaseState.RUNNING, planned.fetchState());
        assertFalse(jobs.markPlanned(tenant, TestJobs.newId(), 1, 0, 1, T0));
    }

    @Test
    void changingAnotherTenantsJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = queued();
        assertFalse(jobs.markPlanned(ContractJobs.newTenant(), job.id(), 1, 0, 1, T0));
        assertFalse(jobs.failPlanning(ContractJobs.newTenant(), job.id(), FAILURE, T0));
        assertFalse(jobs.cancel(ContractJobs.newTenant(), job.id(), T0));
        assertFalse(jobs.expire(ContractJobs.newTenant(), job.id(), T0));
        assertEquals(job, find(job));
    }

    @Test
    void aJobCancelledBeforeItWasPlannedTakesItsPlanAndStaysCancelling() {
        Job job = queued();
        assertTrue(jobs.cancel(tenant, job.id(), T0));
        assertTrue(jobs.markPlanned(tenant, job.id(), 10, 0, 2, T0.plusSeconds(1)));
        Job planned = find(job);
        assertEquals(JobStatus.CANCELLING, planned.status());
        assertEquals(2, planned.chunksTotal());
        assertEquals(PhaseState.DONE, planned.planState());
        assertFalse(jobs.markPlanned(tenant, job.id(), 10, 0, 2, T0.plusSeconds(2)), "once");
    }

    @Test
    void failPlanningEndsAJobOnlyBeforeItIsPlanned() {
        Job job = queued();
        assertTrue(jobs.failPlanning(tenant, job.id(), FAILURE, T0.plusSeconds(1)));
        Job failed = find(job);
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(FAILURE, failed.failure());
        assertEquals(T0.plusSeconds(1), failed.completedAt());
        assertEquals(List.of(PhaseState.FAILED, PhaseState.SKIPPED, PhaseState.SKIPPED),
                List.of(failed.planState(), failed.fetchState(), failed.finalizeState()));
        assertFalse(jobs.failPlanning(tenant, job.id(), FAILURE, T0), "once");
        assertFalse(jobs.markPlanned(tenant, job.id(), 1, 0, 1, T0), "a failed plan is not planned after all");

        Job cancelled = queued();
        jobs.cancel(tenant, cancelled.id(), T0);
        assertTrue(jobs.failPlanning(tenant, cancelled.id(), FAILURE, T0), "a cancelling job that was never planned");
    }

    @Test
    void failingThePlanOfAPlannedJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(2);
        assertFalse(jobs.failPlanning(tenant, job.id(), FAILURE, T0.plusSeconds(5)));
        assertEquals(job, find(job));
        assertFalse(jobs.failPlanning(tenant, TestJobs.newId(), FAILURE, T0), "no such job");
    }

    @Test
    void claimFinalizeOnceWhenEveryChunkIsCommitted() {
        Job job = running(2);
        assertEquals(ChunkLedger.ChunkCommit.COMMITTED,
                ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(2, 1, 0)), T0));
        assertFalse(jobs.claimFinalize(tenant, job.id(), T0), "a chunk is missing");
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 1, 1)), T0);
        assertTrue(jobs.claimFinalize(tenant, job.id(), T0.plusSeconds(3)));
        Job claimed = find(job);
        assertEquals(PhaseState.DONE, claimed.fetchState());
        assertEquals(PhaseState.RUNNING, claimed.finalizeState());
        assertEquals(T0.plusSeconds(3), claimed.updatedAt());
        assertFalse(jobs.claimFinalize(tenant, job.id(), T0), "once");
        assertFalse(jobs.claimFinalize(ContractJobs.newTenant(), job.id(), T0), "another tenant's");
    }

    @Test
    void aClaimantRecognisesItsOwnFinalizeClaimOthersDoNot() {
        Job job = running(1);
        assertFalse(jobs.claimFinalize(tenant, job.id(), "chunk 0@0", T0), "a chunk is missing");
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 1, 1)), T0);
        assertTrue(jobs.claimFinalize(tenant, job.id(), "chunk 0@0", T0.plusSeconds(1)));
        assertEquals(PhaseState.RUNNING, find(job).finalizeState());
        assertEquals(PhaseState.DONE, find(job).fetchState());
        assertFalse(jobs.claimFinalize(tenant, job.id(), "chunk 0@0", T0.plusMillis(1_500)),
                "a duplicate delivery of the claimant running at the same time");
        // the claimant's retry, its first answer lost: the claim is its own
        assertTrue(jobs.claimFinalize(tenant, job.id(), "chunk 0@0", T0.plusSeconds(3)), "its own claim");
        assertFalse(jobs.claimFinalize(tenant, job.id(), "chunk 0@50", T0.plusSeconds(3)), "another claimant");
        assertFalse(jobs.claimFinalize(tenant, job.id(), T0.plusSeconds(3)), "a claim without a token");
        assertFalse(jobs.claimFinalize(ContractJobs.newTenant(), job.id(), "chunk 0@0", T0), "another tenant's");
        assertTrue(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0.plusSeconds(4)));
        assertFalse(jobs.claimFinalize(tenant, job.id(), "chunk 0@0", T0.plusSeconds(5)), "a finished job is not claimed again");
    }

    @Test
    void aClaimReleasedAndTakenByAnotherIsNoLongerTheFirstClaimantsAsDynamoDbRefusesIt() {
        Job job = running(0);
        assertTrue(jobs.claimFinalize(tenant, job.id(), "chunk 3@0", T0));
        jobs.releaseFinalize(tenant, job.id());
        assertTrue(jobs.claimFinalize(tenant, job.id(), "reaper", T0.plusSeconds(1)));
        assertFalse(jobs.claimFinalize(tenant, job.id(), "chunk 3@0", T0.plusSeconds(2)));
        assertEquals(T0.plusSeconds(1), find(job).updatedAt(), "a refused claim changes nothing");
        Job untokened = running(0);
        assertTrue(jobs.claimFinalize(tenant, untokened.id(), T0));
        assertFalse(jobs.claimFinalize(tenant, untokened.id(), "chunk 0@0", T0), "claimed without a token: nobody's own");
        Job reclaimed = running(0);
        assertTrue(jobs.claimFinalize(tenant, reclaimed.id(), "chunk 0@0", T0));
        jobs.releaseFinalize(tenant, reclaimed.id());
        assertTrue(jobs.claimFinalize(tenant, reclaimed.id(), T0.plusSeconds(1)));
        assertFalse(jobs.claimFinalize(tenant, reclaimed.id(), "chunk 0@0", T0.plusSeconds(2)), "released: no longer its own");
    }

    @Test
    void claimingTheFinalizeOfAJobThatIsNotFetchingIsRefusedAsDynamoDbRefusesIt() {
        Job unplanned = queued();
        assertFalse(jobs.claimFinalize(tenant, unplanned.id(), T0), "never planned: no chunks_total to reach");
        Job cancelled = queued();
        jobs.cancel(tenant, cancelled.id(), T0);
        assertFalse(jobs.claimFinalize(tenant, cancelled.id(), T0), "cancelling but never planned");
        Job ended = running(0);
        jobs.finish(tenant, ended.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0);
        assertFalse(jobs.claimFinalize(tenant, ended.id(), T0), "completed");
        assertFalse(jobs.claimFinalize(tenant, TestJobs.newId(), T0), "no such job");
    }

    @Test
    void aCancellingJobWithEveryChunkCommittedIsClaimed() {
        Job job = running(0);
        jobs.cancel(tenant, job.id(), T0);
        assertTrue(jobs.claimFinalize(tenant, job.id(), T0));
    }

    @Test
    void releaseFinalizeUndoesAClaimOnly() {
        Job job = running(0);
        jobs.releaseFinalize(tenant, job.id());
        assertEquals(job, find(job), "nothing claimed: nothing to release");
        assertTrue(jobs.claimFinalize(tenant, job.id(), T0.plusSeconds(1)));
        jobs.releaseFinalize(tenant, job.id());
        Job released = find(job);
        assertEquals(PhaseState.PENDING, released.finalizeState());
        assertEquals(PhaseState.RUNNING, released.fetchState());
        assertTrue(jobs.claimFinalize(tenant, job.id(), T0.plusSeconds(2)), "claimed again");
        assertTrue(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0));
        jobs.releaseFinalize(tenant, job.id());
        assertEquals(PhaseState.DONE, find(job).finalizeState(), "a finished job stays finished");
    }

    @Test
    void cancelAndExpireStopOnlyAQueuedOrRunningJob() {
        Job queued = queued();
        assertTrue(jobs.cancel(tenant, queued.id(), T0.plusSeconds(1)));
        Job cancelling = find(queued);
        assertEquals(JobStatus.CANCELLING, cancelling.status());
        assertEquals(StopReason.CANCELLED, cancelling.stopReason());
        assertEquals(T0.plusSeconds(1), cancelling.updatedAt());
        assertFalse(jobs.cancel(tenant, queued.id(), T0), "already cancelling");
        assertFalse(jobs.expire(tenant, queued.id(), T0), "only queued or running jobs expire");
        assertEquals(StopReason.CANCELLED, find(queued).stopReason());

        Job running = running(1);
        assertTrue(jobs.expire(tenant, running.id(), T0.plusSeconds(2)));
        assertEquals(StopReason.LIFETIME_EXCEEDED, find(running).stopReason());
        assertEquals(JobStatus.CANCELLING, find(running).status());

        Job other = queued();
        assertTrue(jobs.expire(tenant, other.id(), T0));
        assertEquals(StopReason.LIFETIME_EXCEEDED, find(other).stopReason());
        assertFalse(jobs.cancel(tenant, TestJobs.newId(), T0), "no such job");
        assertFalse(jobs.expire(tenant, TestJobs.newId(), T0), "no such job");
    }

    @Test
    void cancellingAnEndedJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(0);
        assertTrue(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0));
        Job completed = find(job);
        assertFalse(jobs.cancel(tenant, job.id(), T0.plusSeconds(9)));
        assertFalse(jobs.expire(tenant, job.id(), T0.plusSeconds(9)));
        assertEquals(completed, find(job));
    }

    @Test
    void stopForErrorsOnlyAboveTheAllowedCountAndOnce() {
        Job job = queued();
        assertFalse(jobs.stopForErrors(tenant, job.id(), -1, T0), "a queued job does not stop for errors");
        jobs.markPlanned(tenant, job.id(), 4, 0, 1, T0);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 2, 0)), T0);
        assertFalse(jobs.stopForErrors(tenant, job.id(), 2, T0), "2 errors are within 2");
        assertTrue(jobs.stopForErrors(tenant, job.id(), 1, T0.plusSeconds(4)));
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, find(job).stopReason());
        assertEquals(JobStatus.RUNNING, find(job).status(), "the workers stop it; the status stays");
        assertEquals(T0.plusSeconds(4), find(job).updatedAt());
        assertFalse(jobs.stopForErrors(tenant, job.id(), 1, T0), "once");
        assertTrue(jobs.cancel(tenant, job.id(), T0));
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, find(job).stopReason(), "a cancel keeps the first reason");
        assertFalse(jobs.cancel(tenant, job.id(), T0));
    }

    @Test
    void stoppingACancelledJobForErrorsIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(1);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(0, 5, 0)), T0);
        jobs.cancel(tenant, job.id(), T0);
        assertFalse(jobs.stopForErrors(tenant, job.id(), 0, T0), "it has a stop reason already");
        assertEquals(StopReason.CANCELLED, find(job).stopReason());
        Job ended = running(1);
        ledger.commitChunk(tenant, ended.id(), chunk(0, new Counters(0, 5, 0)), T0);
        jobs.finish(tenant, ended.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0);
        assertFalse(jobs.stopForErrors(tenant, ended.id(), 0, T0), "completed");
        assertNull(find(ended).stopReason());
    }

    @Test
    void finishEndsAJobOnlyFromTheExpectedStatus() {
        Job job = running(0);
        List<ResultPart> parts = List.of(
                new ResultPart("results/a.jsonl", 120, 3, "ab12"),
                new ResultPart("results/b.jsonl", 80, 2, "cd34"));
        assertTrue(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.FAILED, FAILURE, parts, T0.plusSeconds(7)));
        Job failed = find(job);
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(FAILURE, failed.failure());
        assertEquals(parts, failed.resultParts());
        assertEquals(T0.plusSeconds(7), failed.completedAt());
        assertEquals(T0.plusSeconds(7), failed.updatedAt());
        assertEquals(PhaseState.DONE, failed.fetchState());
        assertEquals(PhaseState.DONE, failed.finalizeState());

        Job completed = running(0);
        assertTrue(jobs.finish(tenant, completed.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0));
        assertNull(find(completed).failure());
        assertEquals(List.of(), find(completed).resultParts());
    }

    @Test
    void finishingFromAnotherStatusIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(0);
        assertFalse(jobs.finish(tenant, job.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), T0));
        assertEquals(job, find(job));
        assertTrue(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0));
        assertFalse(jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.FAILED, FAILURE, List.of(), T0), "once");
        assertEquals(JobStatus.COMPLETED, find(job).status());
        assertFalse(jobs.finish(ContractJobs.newTenant(), job.id(), JobStatus.COMPLETED, JobStatus.FAILED, FAILURE,
                List.of(), T0), "another tenant's");
        assertFalse(jobs.finish(tenant, TestJobs.newId(), JobStatus.RUNNING, JobStatus.FAILED, FAILURE, List.of(), T0));
    }

    @Test
    void purgeRemovesAnEndedJobWithItsCommitsAndDeliveries() {
        Job job = running(2);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 0, 0)), T0);
        ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(1, 0, 0)), T0);
        deliveries.record(tenant, job.id(), new WebhookDelivery("evt_1", "job.completed", 1, T0, 500, 12, "http_error"));
        deliveries.record(tenant, job.id(), new WebhookDelivery("evt_1", "job.completed", 2, T0.plusSeconds(1), 200, 9, null));
        jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0);

        assertEquals(JobStore.Purge.REMOVED, jobs.purge(tenant, job.id()));
        assertTrue(jobs.find(tenant, job.id()).isEmpty());
        assertFalse(ledger.committedChunks(job.id()).iterator().hasNext(), "commits go with the job");
        assertTrue(ledger.committedChunk(job.id(), 0, 0).isEmpty());
        assertTrue(deliveries.latest(tenant, job.id(), 10).isEmpty(), "deliveries go with the job");
        assertEquals(JobStore.Purge.ABSENT, jobs.purge(tenant, job.id()));
    }

    @Test
    void purgingALiveJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(1);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 0, 0)), T0);
        assertEquals(JobStore.Purge.ACTIVE, jobs.purge(tenant, job.id()));
        jobs.cancel(tenant, job.id(), T0);
        assertEquals(JobStore.Purge.ACTIVE, jobs.purge(tenant, job.id()), "cancelling is not ended");
        assertTrue(jobs.find(tenant, job.id()).isPresent());
        assertTrue(ledger.committedChunk(job.id(), 0, 0).isPresent());

        jobs.finish(tenant, job.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), T0);
        assertEquals(JobStore.Purge.ABSENT, jobs.purge(ContractJobs.newTenant(), job.id()), "another tenant's");
        assertTrue(jobs.find(tenant, job.id()).isPresent());
        assertTrue(ledger.committedChunk(job.id(), 0, 0).isPresent());
    }

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        List<Job> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(queued());
        }
        List<String> newestFirst = created.stream().map(Job::id).sorted(Comparator.reverseOrder()).toList();
        JobPage first = jobs.list(tenant, all(2));
        assertEquals(newestFirst.subList(0, 2), ids(first));
        assertEquals(newestFirst.get(1), first.nextBeforeId());
        JobPage second = jobs.list(tenant, new JobQuery(null, null, 2, first.nextBeforeId()));
        assertEquals(newestFirst.subList(2, 4), ids(second));
        JobPage last = jobs.list(tenant, new JobQuery(null, null, 2, second.nextBeforeId()));
        assertEquals(newestFirst.subList(4, 5), ids(last));
        assertNull(last.nextBeforeId(), "no job left");
        assertEquals(newestFirst, ids(jobs.list(tenant, all(5))));
        assertNull(jobs.list(tenant, all(5)).nextBeforeId(), "exactly full, and nothing after it");
        assertEquals(created.getLast(), jobs.list(tenant, all(1)).jobs().getFirst(), "listed as found");
    }

    @Test
    void listFiltersByStatusAndNamePrefix() {
        Job a = queued();
        Job b = queued();
        Job c = queued();
        jobs.cancel(tenant, b.id(), T0);
        JobPage page = jobs.list(tenant, new JobQuery(EnumSet.of(JobStatus.QUEUED), null, 1, null));
        assertEquals(List.of(c.id()), ids(page));
        assertEquals(c.id(), page.nextBeforeId());
        page = jobs.list(tenant, new JobQuery(EnumSet.of(JobStatus.QUEUED), null, 1, page.nextBeforeId()));
        assertEquals(List.of(a.id()), ids(page));
        assertNull(page.nextBeforeId(), "no match left");
        assertEquals(List.of(c.id(), b.id(), a.id()),
                ids(jobs.list(tenant, new JobQuery(EnumSet.of(JobStatus.QUEUED, JobStatus.CANCELLING), null, 10, null))),
                "several statuses merge newest first");
        assertEquals(List.of(b.id()), ids(jobs.list(tenant, new JobQuery(Set.of(JobStatus.CANCELLING), null, 10, null))),
                "a status change moves the job between filters");
        assertTrue(jobs.list(tenant, new JobQuery(Set.of(JobStatus.RUNNING), null, 10, null)).jobs().isEmpty());
        assertEquals(3, jobs.list(tenant, new JobQuery(null, "contract-", 10, null)).jobs().size());
        assertTrue(jobs.list(tenant, new JobQuery(null, "x", 10, null)).jobs().isEmpty());
        Job unnamed = ContractJobs.accepted(tenant, null, T0, JobSettings.DEFAULTS);
        jobs.create(unnamed);
        assertEquals(4, jobs.list(tenant, all(10)).jobs().size());
        assertEquals(3, jobs.list(tenant, new JobQuery(null, "c", 10, null)).jobs().size(), "a job without a name matches no prefix");
        assertEquals(List.of(c.id(), a.id()),
                ids(jobs.list(tenant, new JobQuery(Set.of(JobStatus.QUEUED), "contract-job", 10, null))), "both filters");
    }

    @Test
    void listShowsTheTenantsJobsOnly() {
        Job mine = queued();
        String other = ContractJobs.newTenant();
        Job theirs = ContractJobs.accepted(other);
        jobs.create(theirs);
        assertEquals(List.of(mine.id()), ids(jobs.list(tenant, all(10))));
        assertEquals(List.of(theirs.id()), ids(jobs.list(other, all(10))));
        assertEquals(List.of(mine.id()), ids(jobs.list(tenant, new JobQuery(Set.of(JobStatus.QUEUED), null, 10, null))));
        assertTrue(jobs.list(ContractJobs.newTenant(), all(10)).jobs().isEmpty());
    }

    /**
     * A name that few jobs have: a page may come back short (DynamoDB reads a bounded number of jobs per page), but
     * following the cursor reaches every match, each once, and ends only when none is left.
     */
    @Test
    void aRareNameIsReachedThroughTheCursorWithinBoundedPages() throws Exception {
        int count = 40;
        List<Job> created = ContractJobs.atOnce(4, thread -> {
            List<Job> made = new ArrayList<>();
            for (int i = thread; i < count; i += 4) {
                Job job = ContractJobs.accepted(tenant, i % 13 == 0 ? "rare-" + i : "common-" + i, T0, JobSettings.DEFAULTS);
                jobs.create(job);
                made.add(job);
            }
            return made;
        }).stream().flatMap(List::stream).toList();
        List<String> rare = created.stream().filter(job -> job.name().startsWith("rare-")).map(Job::id)
                .sorted(Comparator.reverseOrder()).toList();
        assertEquals(4, rare.size());
        for (Set<JobStatus> statuses : Arrays.asList(null, Set.of(JobStatus.QUEUED))) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JobPage page = jobs.list(tenant, new JobQuery(statuses, "rare-", 3, cursor));
                assertTrue(page.jobs().size() <= 3, "a page holds at most its limit");
                seen.addAll(ids(page));
                cursor = page.nextBeforeId();
                pages++;
                assertTrue(pages <= count, "the cursor moves on");
            } while (cursor != null);
            assertEquals(rare, seen, "every match once, newest first");
        }
        List<String> everyJob = new ArrayList<>();
        String cursor = null;
        do {
            JobPage page = jobs.list(tenant, new JobQuery(null, null, 7, cursor));
            everyJob.addAll(ids(page));
            cursor = page.nextBeforeId();
        } while (cursor != null);
        assertEquals(created.stream().map(Job::id).sorted(Comparator.reverseOrder()).toList(), everyJob);
    }

    @Test
    void timesAreKeptToTheNanosecond() {
        Instant precise = T0.plusNanos(123_456_789);
        Job job = ContractJobs.accepted(tenant, "n", precise, JobSettings.DEFAULTS);
        jobs.create(job);
        assertEquals(precise, find(job).createdAt());
        jobs.markPlanned(tenant, job.id(), 1, 0, 1, precise.plusMillis(1));
        assertEquals(precise.plusMillis(1), find(job).startedAt());
    }
}
