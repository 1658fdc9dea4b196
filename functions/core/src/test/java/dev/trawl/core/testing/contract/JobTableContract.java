package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Job;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.WebhookDeliveries;
import org.junit.jupiter.api.BeforeEach;

/** What the suites of the job table's ports share: the ports over one state, and a tenant of the test's own. */
public abstract class JobTableContract {
    protected JobStore jobs;
    protected ChunkLedger ledger;
    protected IdempotencyKeys keys;
    protected WebhookDeliveries deliveries;
    protected JobSweeps sweeps;
    protected String tenant;

    /** The ports over one table; called once per test. */
    protected abstract JobTable table();

    @BeforeEach
    final void openTable() {
        JobTable table = table();
        jobs = table.jobs();
        ledger = table.ledger();
        keys = table.keys();
        deliveries = table.deliveries();
        sweeps = table.sweeps();
        tenant = ContractJobs.newTenant();
    }

    /** A new {@code queued} job of the test's tenant, as stored. */
    protected Job queued() {
        Job job = ContractJobs.accepted(tenant);
        jobs.create(job);
        return find(job);
    }

    /** A job planned with {@code chunks} chunks: {@code running}. */
    protected Job running(int chunks) {
        Job job = queued();
        jobs.markPlanned(tenant, job.id(), 10L * chunks, 0, chunks, ContractJobs.T0);
        return find(job);
    }

    protected Job find(Job job) {
        return jobs.find(job.tenant(), job.id()).orElseThrow();
    }
}
