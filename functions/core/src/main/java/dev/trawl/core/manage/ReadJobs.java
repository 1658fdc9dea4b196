package dev.trawl.core.manage;

import dev.trawl.core.job.Job;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WebhookDeliveries;

import java.util.List;
import java.util.Optional;

/** What a tenant may read of its jobs: one, a page of them, their metrics, their webhook attempts. */
public final class ReadJobs {
    private final JobStore jobs;
    private final ChunkLedger ledger;
    private final WebhookDeliveries deliveries;

    public ReadJobs(JobStore jobs, ChunkLedger ledger, WebhookDeliveries deliveries) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.deliveries = deliveries;
    }

    public Optional<Job> find(String tenant, String jobId) {
        return jobs.find(tenant, jobId);
    }

    public JobStore.JobPage list(String tenant, JobStore.JobQuery query) {
        return jobs.list(tenant, query);
    }

    public Optional<JobMetrics> metrics(String tenant, String jobId) {
        return ledger.metrics(tenant, jobId);
    }

    /** The job's latest webhook attempts, oldest first; none for a job without a webhook. */
    public List<WebhookDelivery> deliveries(Job job) {
        return job.settings().webhook() == null ? List.of()
                : deliveries.latest(job.tenant(), job.id(), WebhookDeliveries.LISTED);
    }
}
