package dev.trawl.core.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.util.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The job object of the contract. */
public final class JobJson {
    private JobJson() {
    }

    /** @param links where the client downloads the result's parts */
    public static ObjectNode of(Job job, Instant now, PartLinks links) {
        ObjectNode o = Json.object();
        o.put("id", job.id());
        o.put("name", job.name());
        o.put("status", job.status().wire());
        time(o, "created_at", job.createdAt());
        time(o, "started_at", job.startedAt());
        time(o, "completed_at", job.completedAt());
        time(o, "updated_at", job.updatedAt());
        if (job.urlsTotal() == null) {
            o.putNull("urls_total");
        } else {
            o.put("urls_total", job.urlsTotal());
        }
        o.put("urls_done", job.counters().done());
        o.put("urls_ok", job.counters().ok());
        o.put("urls_errored", job.counters().errored());
        o.put("urls_skipped", job.counters().skipped());
        o.put("urls_filtered", job.urlsFiltered());
        percentComplete(o, job);
        Long eta = etaSeconds(job, now);
        if (eta == null) {
            o.putNull("eta_s");
        } else {
            o.put("eta_s", eta);
        }
        o.put("concurrency", job.settings().concurrency());
        ObjectNode input = o.putObject("input");
        input.put("type", job.input().type());
        if (job.input().uploadId() != null) {
            input.put("upload_id", job.input().uploadId());
        }
        if (job.input().type().equals("inbox")) {
            input.put("key", job.input().key());
        }
        if (job.input().type().equals("retry")) {
            input.put("job_id", job.retryOf()); // the job whose errored entries this one reads
        }
        if (job.input().type().equals("s3")) {
            input.put("s3_uri", "s3://" + job.input().bucket() + "/" + job.input().key());
            if (job.input().roleArn() != null) {
                input.put("role_arn", job.input().roleArn());
            }
        }
        ObjectNode output = o.putObject("output");
        output.put("format", job.settings().output().format());
        output.put("gzip", job.settings().output().gzip());
        ObjectNode phases = o.putObject("phases");
        ObjectNode plan = phases.putObject("plan");
        plan.put("state", job.planState().wire());
        if (job.chunksTotal() == null) {
            plan.putNull("chunks_total");
        } else {
            plan.put("chunks_total", job.chunksTotal());
        }
        phases.putObject("fetch").put("state", job.fetchState().wire()).put("chunks_done", job.chunksDone());
        phases.putObject("finalize").put("state", job.finalizeState().wire());
        o.put("retry_of", job.retryOf());
        o.put("dry_run", job.settings().dryRun());
        if (job.failure() == null) {
            o.putNull("failure");
        } else {
            o.putObject("failure").put("code", job.failure().code()).put("message", job.failure().message());
        }
        if (job.resultParts() == null || job.resultParts().isEmpty()) {
            o.putNull("download_url");
            o.putNull("download_url_expires_at");
            o.putNull("result_parts");
        } else {
            o.put("download_url", links.of(job, 0).toString());
            time(o, "download_url_expires_at", job.linksExpireAt());
            ArrayNode parts = o.putArray("result_parts");
            for (int i = 0; i < job.resultParts().size(); i++) {
                ResultPart part = job.resultParts().get(i);
                parts.addObject().put("url", links.of(job, i).toString()).put("bytes", part.bytes())
                        .put("rows", part.rows()).put("sha256", part.sha256());
            }
        }
        return o;
    }

    private static void percentComplete(ObjectNode o, Job job) {
        if (job.status() == JobStatus.COMPLETED) {
            o.put("percent_complete", 1.0);
        } else if (job.urlsTotal() == null || job.urlsTotal() == 0) {
            o.put("percent_complete", 0.0);
        } else {
            // Rounded down, so that a running job never shows 1.0.
            o.put("percent_complete", Math.floor((double) job.counters().done() * 10_000 / job.urlsTotal()) / 10_000.0);
        }
    }

    /**
     * Seconds left at the rate between the job's last two progress samples (about the last minute), or null when
     * the job is not running or no rate is known yet.
     */
    static Long etaSeconds(Job job, Instant now) {
        Job.RateSample rate = job.rate();
        if (job.status() != JobStatus.RUNNING || job.urlsTotal() == null || rate == null || rate.latestAt() == null) {
            return null;
        }
        Instant since = rate.previousAt() != null ? rate.previousAt() : job.startedAt();
        long sinceDone = rate.previousAt() != null ? rate.previousDone() : 0;
        if (since == null) {
            return null;
        }
        double seconds = Duration.between(since, rate.latestAt()).toMillis() / 1000.0;
        long progressed = rate.latestDone() - sinceDone;
        if (seconds <= 0 || progressed <= 0) {
            return null;
        }
        long left = Math.max(0, job.urlsTotal() - job.counters().done());
        return (long) Math.ceil(left / (progressed / seconds));
    }

    public static void time(ObjectNode o, String field, Instant instant) {
        if (instant == null) {
            o.putNull(field);
        } else {
            o.put(field, instant.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }
}
