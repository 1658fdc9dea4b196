package dev.trawl.core.manage;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;

import java.util.Optional;
import java.util.Set;

/** Removes terminal jobs with their result and work files; a live job is never removed. */
public final class RemoveJobs {
    private static final Log LOG = Log.of("api");
    private static final int PAGE = 100;
    private final JobStore jobs;
    private final BlobStore blobs;

    public RemoveJobs(JobStore jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /** Removes a terminal job's result and work files, then its record. */
    public JobStore.Purge remove(String tenant, String jobId) {
        Optional<Job> job = jobs.find(tenant, jobId);
        if (job.isEmpty()) {
            return JobStore.Purge.ABSENT;
        }
        if (!job.get().status().terminal()) {
            return JobStore.Purge.ACTIVE;
        }
        // Files first: a crash then leaves a record that a second purge removes, never files nothing points to.
        blobs.deletePrefix(BucketLayout.resultPrefix(tenant, jobId));
        blobs.deletePrefix(BucketLayout.workPrefix(jobId));
        JobStore.Purge purged = jobs.purge(tenant, jobId);
        LOG.info(jobId, "job removed", "outcome", purged.name());
        return purged;
    }

    /** Removes every job of the tenant that is in one of {@code statuses} (terminal ones only) when read. */
    public long removeAll(String tenant, Set<JobStatus> statuses) {
        if (statuses.stream().anyMatch(s -> !s.terminal())) {
            throw new IllegalArgumentException("only terminal jobs are removed");
        }
        long removed = 0;
        String before = null;
        do {
            JobStore.JobPage page = jobs.list(tenant, new JobStore.JobQuery(statuses, null, PAGE, before));
            for (Job job : page.jobs()) {
                if (job.status().terminal() && remove(tenant, job.id()) == JobStore.Purge.REMOVED) {
                    removed++;
                }
            }
            before = page.nextBeforeId();
        } while (before != null);
        return removed;
    }
}
