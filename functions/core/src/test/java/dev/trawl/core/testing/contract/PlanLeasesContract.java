package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Job;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.port.PlanLeases.PlanCheckpoint;
import dev.trawl.core.port.PlanLeases.Planning;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PlanLeases}: one planner of a job at a time, its checkpoint kept on the job's record. */
public abstract class PlanLeasesContract extends JobTableContract {
    private static final Instant T0 = ContractJobs.T0;
    private static final Duration LEASE = Duration.ofMinutes(2);
    protected PlanLeases leases;

    /** The leases over the same table as {@link #table()}. */
    protected abstract PlanLeases leases();

    @BeforeEach
    final void openLeases() {
        leases = leases();
    }

    @Test
    void theFirstTakerHoldsTheLeaseAndAnotherFindsItTaken() {
        Job job = queued();
        Planning first = leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        assertEquals(new Planning(T0, 1, null), first);

        assertEquals(Optional.empty(), leases.take(tenant, job.id(), "b", T0.plusSeconds(60), T0.plusSeconds(180)));
        assertEquals(Optional.empty(), leases.take(tenant, job.id(), "b", T0.plus(LEASE).minusMillis(1), T0.plusSeconds(300)));
        assertEquals(Optional.empty(), leases.take(ContractJobs.newTenant(), job.id(), "c", T0, T0.plus(LEASE)),
                "another tenant's job is no job");
        assertEquals(Optional.empty(), leases.take(tenant, "job_01JD3F2D1A77B0E1XYZ0000000", "c", T0, T0.plus(LEASE)));
    }

    @Test
    void anExpiredLeaseGoesToTheNextTakerAndTheAttemptsAddUp() {
        Job job = queued();
        leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        Planning second = leases.take(tenant, job.id(), "b", T0.plus(LEASE), T0.plus(LEASE).plus(LEASE)).orElseThrow();
        assertEquals(new Planning(T0, 2, null), second, "since stays the first lease's");

        assertFalse(leases.checkpoint(tenant, job.id(), "a", new PlanCheckpoint(100, 1, 100, 100, 0, null), T0.plus(LEASE)),
                "the first planner lost its lease");
        assertEquals(Optional.empty(), leases.take(tenant, job.id(), "a", T0.plus(LEASE).plusSeconds(1), T0.plusSeconds(900)));
    }

    @Test
    void aCheckpointIsKeptRenewsTheLeaseAndResetsTheAttempts() {
        Job job = queued();
        leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        PlanCheckpoint checkpoint = new PlanCheckpoint(100, 42, 4_300, 4_200, 100, "\"0cc175b9c0f1b6a831c399e269772661\"");
        assertTrue(leases.checkpoint(tenant, job.id(), "a", checkpoint, T0.plusSeconds(400)));

        assertEquals(Optional.empty(), leases.take(tenant, job.id(), "b", T0.plusSeconds(399), T0.plusSeconds(500)),
                "renewed until 400 s");
        Planning next = leases.take(tenant, job.id(), "b", T0.plusSeconds(400), T0.plusSeconds(500)).orElseThrow();
        assertEquals(new Planning(T0, 1, checkpoint), next);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndOnlyItsOwnerReleasesIt() {
        Job job = queued();
        leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        leases.release(tenant, job.id(), "b");
        assertEquals(Optional.empty(), leases.take(tenant, job.id(), "b", T0.plusSeconds(1), T0.plus(LEASE)));

        leases.release(tenant, job.id(), "a");
        assertTrue(leases.take(tenant, job.id(), "b", T0.plusSeconds(1), T0.plus(LEASE)).isPresent());
    }

    @Test
    void theSameOwnerTakesItsLeaseAgain() {
        Job job = queued();
        leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        Planning again = leases.take(tenant, job.id(), "a", T0.plusSeconds(5), T0.plus(LEASE)).orElseThrow();
        assertEquals(2, again.attempts());
        assertNull(again.checkpoint());
    }

    @Test
    void planningMarksLeaveTheJobAsItWas() {
        Job job = queued();
        leases.take(tenant, job.id(), "a", T0, T0.plus(LEASE)).orElseThrow();
        leases.checkpoint(tenant, job.id(), "a", new PlanCheckpoint(100, 3, 300, 300, 0, null), T0.plus(LEASE));
        assertEquals(job, find(job));
    }

    @Test
    void ofPlannersRacingForOneLeaseExactlyOneWins() throws Exception {
        Job job = queued();
        List<Boolean> won = ContractJobs.atOnce(8,
                i -> leases.take(tenant, job.id(), "planner-" + i, T0, T0.plus(LEASE)).isPresent());
        assertEquals(1, won.stream().filter(Boolean::booleanValue).count(), won.toString());
    }
}
