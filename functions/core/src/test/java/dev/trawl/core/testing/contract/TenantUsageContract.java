package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.tenant.TenantUsage;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's usage ({@link dev.trawl.core.port.JobStore#usage}): a job counts from the write that stores it until the
 * write that makes it terminal, exactly once whatever races; a ceiling refuses a job and stores nothing.
 */
public abstract class TenantUsageContract extends JobTableContract {
    private static final Failure FAILURE = new Failure("input_unreadable", "no such input");

    private Job job(int concurrency) {
        return ContractJobs.accepted(tenant, "usage", T0, TestJobs.settings().concurrency(concurrency).build());
    }

    @Test
    void aJobCountsFromItsCreationUntilItIsTerminal() {
        Job failsPlanning = job(3);
        Job completes = job(5);
        Job cancelled = job(7);
        jobs.create(failsPlanning, Ceilings.NONE);
        jobs.create(completes, Ceilings.NONE);
        jobs.create(cancelled);
        assertEquals(new TenantUsage(3, 15), jobs.usage(tenant));

        assertTrue(jobs.failPlanning(tenant, failsPlanning.id(), FAILURE, T0));
        assertEquals(new TenantUsage(2, 12), jobs.usage(tenant));

        jobs.markPlanned(tenant, completes.id(), 10, 0, 1, T0);
        assertEquals(new TenantUsage(2, 12), jobs.usage(tenant), "running still counts");
        assertTrue(jobs.finish(tenant, completes.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0));
        assertEquals(new TenantUsage(1, 7), jobs.usage(tenant));

        assertTrue(jobs.cancel(tenant, cancelled.id(), T0));
        assertEquals(new TenantUsage(1, 7), jobs.usage(tenant), "cancelling still counts");
        assertTrue(jobs.finish(tenant, cancelled.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), T0));
        assertEquals(TenantUsage.NONE, jobs.usage(tenant));
    }

    @Test
    void aJobLeavesTheUsageOnceWhateverEndsItAgain() {
        Job job = job(4);
        jobs.create(job);
        assertTrue(jobs.failPlanning(tenant, job.id(), FAILURE, T0));
        assertFalse(jobs.failPlanning(tenant, job.id(), FAILURE, T0));
        assertFalse(jobs.finish(tenant, job.id(), JobStatus.QUEUED, JobStatus.FAILED, FAILURE, List.of(), T0));
        // the store lets a terminal job be written terminal again: it leaves nothing a second time
        jobs.finish(tenant, job.id(), JobStatus.FAILED, JobStatus.FAILED, FAILURE, List.of(), T0);
        assertEquals(TenantUsage.NONE, jobs.usage(tenant));
        assertEquals(JobStore.Purge.REMOVED, jobs.purge(tenant, job.id()));
        assertEquals(TenantUsage.NONE, jobs.usage(tenant), "a purge of a terminal job changes no usage");
    }

    @Test
    void racingTerminalWritesTakeAJobOutOnce() throws Exception {
        Job job = job(6);
        jobs.create(job);
        jobs.markPlanned(tenant, job.id(), 10, 0, 1, T0);
        List<Boolean> won = ContractJobs.atOnce(6, i -> jobs.finish(tenant, job.id(), JobStatus.RUNNING,
                JobStatus.COMPLETED, null, List.of(), T0));
        assertEquals(1, won.stream().filter(w -> w).count());
        assertEquals(TenantUsage.NONE, jobs.usage(tenant));
    }

    @Test
    void theActiveJobsCeilingRefusesAJobAndStoresNothing() {
        Ceilings two = new Ceilings(2, 1_000);
        jobs.create(job(1), two);
        jobs.create(job(1), two);
        Job third = job(1);
        CeilingReached reached = assertThrows(CeilingReached.class, () -> jobs.create(third, two));
        assertEquals(CeilingReached.Kind.ACTIVE_JOBS, reached.kind());
        assertEquals(2, reached.limit());
        assertEquals(2, reached.inUse());
        assertEquals(Optional.empty(), jobs.find(tenant, third.id()));
        assertEquals(new TenantUsage(2, 2), jobs.usage(tenant));
    }

    @Test
    void theConcurrencyCeilingRefusesWhatWouldPassItAndTakesWhatFits() {
        Ceilings eight = new Ceilings(100, 8);
        jobs.create(job(5), eight);
        CeilingReached reached = assertThrows(CeilingReached.class, () -> jobs.create(job(4), eight));
        assertEquals(CeilingReached.Kind.CONCURRENCY, reached.kind());
        assertEquals(8, reached.limit());
        assertEquals(5, reached.inUse());
        jobs.create(job(3), eight);
        assertEquals(new TenantUsage(2, 8), jobs.usage(tenant));
        String other = ContractJobs.newTenant();
        CeilingReached never = assertThrows(CeilingReached.class, () -> jobs.create(
                ContractJobs.accepted(other, "big", T0, TestJobs.settings().concurrency(9).build()), eight));
        assertEquals(CeilingReached.Kind.CONCURRENCY, never.kind(), "a job bigger than the ceiling never fits");
        assertEquals(TenantUsage.NONE, jobs.usage(other), "another tenant's usage is its own");
    }

    @Test
    void aJobThatEndedMakesRoom() {
        Ceilings one = new Ceilings(1, 1_000);
        Job first = job(2);
        jobs.create(first, one);
        assertThrows(CeilingReached.class, () -> jobs.create(job(2), one));
        jobs.failPlanning(tenant, first.id(), FAILURE, T0);
        jobs.create(job(2), one);
        assertEquals(new TenantUsage(1, 2), jobs.usage(tenant));
    }

    @Test
    void jobsRacingForTheLastRoomNeverPassTheCeiling() throws Exception {
        Ceilings three = new Ceilings(3, 1_000);
        List<Boolean> stored = ContractJobs.atOnce(8, i -> {
            try {
                jobs.create(job(1), three);
                return true;
            } catch (CeilingReached e) {
                return false;
            }
        });
        assertEquals(3, stored.stream().filter(s -> s).count());
        assertEquals(new TenantUsage(3, 3), jobs.usage(tenant));
    }

    @Test
    void anIdempotencyKeyTakenAnswersTheEarlierJobEvenAtTheCeiling() {
        Ceilings one = new Ceilings(1, 1_000);
        Job first = job(2);
        assertInstanceOf(IdempotencyKeys.IdempotentCreate.Created.class,
                keys.createOnce(first, "k", "f", T0, T0.plusSeconds(60), one));
        var again = keys.createOnce(job(2), "k", "f", T0, T0.plusSeconds(60), one);
        assertEquals(new IdempotencyKeys.IdempotentCreate.Taken(first.id(), "f"), again);
        assertThrows(CeilingReached.class, () -> keys.createOnce(job(2), "other", "f", T0, T0.plusSeconds(60), one));
        assertEquals(new TenantUsage(1, 2), jobs.usage(tenant));
    }

    @Test
    void aJobStoredTerminalHoldsNothingAndPassesNoCeiling() {
        Ceilings one = new Ceilings(1, 1_000);
        jobs.create(job(2), one);
        Job q = job(2);
        Job failed = new Job(q.id(), tenant, "refused", JobStatus.FAILED, T0, null, T0, T0, null, q.counters(), 0,
                q.input(), q.settings(), null, PhaseState.SKIPPED, null,
                PhaseState.SKIPPED, 0, PhaseState.SKIPPED, null,
                new Failure("active_jobs_limit", "full"), null, null);
        keys.createOnce(failed, "drop", "f", T0, T0.plusSeconds(60), one);
        Job stored = jobs.find(tenant, failed.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, stored.status());
        assertEquals(new Failure("active_jobs_limit", "full"), stored.failure());
        assertEquals(T0, stored.completedAt());
        assertEquals(new TenantUsage(1, 2), jobs.usage(tenant));
    }
}
