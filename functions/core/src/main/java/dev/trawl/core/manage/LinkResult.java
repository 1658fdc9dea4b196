package dev.trawl.core.manage;

import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** A fresh signed link to a finished job's result (its first part when split). */
public final class LinkResult {
    /** Links handed out here are fresh and short: the caller just proved its key. */
    public static final Duration TTL = Duration.ofMinutes(15);
    private final JobStore jobs;
    private final BlobStore blobs;

    public LinkResult(JobStore jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /** Refused while the job runs ({@code job_active}); not found when the job has no result. */
    public URI link(String tenant, String jobId) {
        Job job = jobs.find(tenant, jobId).orElseThrow(() -> new NotFound("No job with this id."));
        if (!job.status().terminal()) {
            throw new Conflict("job_active", "The job is still " + job.status().wire() + "; its result is not written yet.");
        }
        List<ResultPart> parts = job.resultParts();
        if (parts == null || parts.isEmpty()) {
            throw new NotFound("The job has no result.");
        }
        Duration ttl = TTL.compareTo(Duration.ofSeconds(job.settings().downloadUrlTtlSeconds())) < 0
                ? TTL : Duration.ofSeconds(job.settings().downloadUrlTtlSeconds());
        return blobs.presignGet(parts.getFirst().key(), ttl);
    }
}
