package dev.trawl.core.manage;

import dev.trawl.core.job.Job;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.output.FreshLinks;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WebhookDeliveries;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** What a tenant may read of its jobs: one, a page of them, their metrics, their webhook attempts. */
public final class ReadJobs {
    private final JobStore jobs;
    private final ChunkLedger ledger;
    private final WebhookDeliveries deliveries;
    private final BlobStore blobs;
    private final Clock clock;

    public ReadJobs(JobStore jobs, ChunkLedger ledger, WebhookDeliveries deliveries, BlobStore blobs, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.deliveries = deliveries;
        this.blobs = blobs;
        this.clock = clock;
    }

    public Optional<Job> find(String tenant, String jobId) {
        return jobs.find(tenant, jobId);
    }

    /** The page's jobs carry result links signed now, like a single job shown. */
    public JobStore.JobPage list(String tenant, JobStore.JobQuery query) {
        JobStore.JobPage page = jobs.list(tenant, query);
        return new JobStore.JobPage(page.jobs().stream().map(this::withFreshLinks).toList(), page.nextBeforeId());
    }

    public Optional<JobMetrics> metrics(String tenant, String jobId) {
        return ledger.metrics(tenant, jobId);
    }

    /** The job's latest webhook attempts, oldest first; none for a job without a webhook. */
    public List<WebhookDelivery> deliveries(Job job) {
        return job.settings().webhook() == null ? List.of()
                : deliveries.latest(job.tenant(), job.id(), WebhookDeliveries.LISTED);
    }

    /** The job with its result links signed now: see {@link FreshLinks}. */
    public Job withFreshLinks(Job job) {
        return FreshLinks.of(job, blobs, clock.instant());
    }
}
