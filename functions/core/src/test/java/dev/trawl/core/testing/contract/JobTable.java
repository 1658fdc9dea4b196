package dev.trawl.core.testing.contract;

import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.WebhookDeliveries;

/**
 * The ports of the job table over one state: a commit through the ledger shows on the job the store finds, a
 * purge through the store removes the ledger's commits, and so on. The contract suites need them together.
 */
public record JobTable(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, WebhookDeliveries deliveries,
                       JobSweeps sweeps) {
}
