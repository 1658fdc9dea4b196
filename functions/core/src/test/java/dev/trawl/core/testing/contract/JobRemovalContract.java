package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static dev.trawl.core.testing.contract.ContractJobs.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JobRemoval}: a terminal job's record removed alone, at once; what is beside it removed later, by id. */
public abstract class JobRemovalContract extends JobTableContract {
    protected JobRemoval removal;

    /** The removal over the same table as {@link #table()}. */
    protected abstract JobRemoval removal();

    @BeforeEach
    final void openRemoval() {
        removal = removal();
    }

    private Job endedWithCommitsAndDeliveries() {
        Job job = running(2);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 0, 0)), T0);
        ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(0, 1, 0)), T0);
        deliveries.record(tenant, job.id(), new WebhookDelivery("evt_1", "job.completed", 1, T0, 200, 9, null));
        jobs.finish(tenant, job.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), T0);
        return job;
    }

    @Test
    void theRecordGoesAtOnceAndTheRemnantsWhenAskedFor() {
        Job job = endedWithCommitsAndDeliveries();
        Job other = endedWithCommitsAndDeliveries();

        assertEquals(JobStore.Purge.REMOVED, removal.removeRecord(tenant, job.id()));
        assertTrue(jobs.find(tenant, job.id()).isEmpty(), "no reader finds the job");
        assertEquals(JobStore.Purge.ABSENT, removal.removeRecord(tenant, job.id()));

        removal.removeRemnants(job.id());
        assertFalse(ledger.committedChunks(job.id()).iterator().hasNext(), "its commits");
        assertTrue(deliveries.latest(tenant, job.id(), 10).isEmpty(), "its deliveries");
        removal.removeRemnants(job.id()); // again: nothing left, no failure

        assertTrue(jobs.find(tenant, other.id()).isPresent(), "another job stays whole");
        assertEquals(2, countOf(ledger.committedChunks(other.id())));
    }

    @Test
    void aLiveJobOrAnotherTenantsIsNeverRemoved() {
        Job job = running(1);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 0, 0)), T0);
        assertEquals(JobStore.Purge.ACTIVE, removal.removeRecord(tenant, job.id()));
        jobs.cancel(tenant, job.id(), T0);
        assertEquals(JobStore.Purge.ACTIVE, removal.removeRecord(tenant, job.id()), "cancelling is not ended");

        jobs.finish(tenant, job.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), T0);
        assertEquals(JobStore.Purge.ABSENT, removal.removeRecord(ContractJobs.newTenant(), job.id()), "another tenant's");
        assertTrue(jobs.find(tenant, job.id()).isPresent());
        assertTrue(ledger.committedChunk(job.id(), 0, 0).isPresent());
    }

    private static int countOf(Iterable<?> items) {
        int count = 0;
        for (Object ignored : items) {
            count++;
        }
        return count;
    }
}
