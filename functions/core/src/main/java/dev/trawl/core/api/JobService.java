package dev.trawl.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.JobRef;
import dev.trawl.core.work.WorkKeys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/** The job use cases behind the API: create, read, list. */
public final class JobService {
    private static final Log LOG = Log.of("api");
    private final JobStore jobs;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Clock clock;
    private final Ids ids;

    public JobService(JobStore jobs, BlobStore blobs, WorkQueue queue, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** Stores the input for the planner, records the job as {@code queued} and asks for it to be planned. */
    public Job create(String tenant, CreateJobRequest request) {
        String id = ids.next("job_");
        String inputKey = WorkKeys.input(id);
        StringBuilder lines = new StringBuilder();
        for (JsonNode entry : request.entries()) {
            lines.append(Json.write(entry)).append('\n');
        }
        blobs.put(inputKey, lines.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        Job job = Job.accepted(id, tenant, request.name(), clock.instant(), request.concurrency(), "inline", inputKey,
                request.output(), request.defaults(), request.downloadUrlTtlSeconds());
        jobs.create(job);
        queue.requestPlan(new JobRef(tenant, id));
        LOG.info(id, "job created", "tenant", tenant, "entries", request.entries().size());
        return job;
    }

    public Optional<Job> find(String tenant, String jobId) {
        return jobs.find(tenant, jobId);
    }

    public JobStore.JobPage list(String tenant, int limit, String afterJobId) {
        return jobs.list(tenant, limit, afterJobId);
    }
}
