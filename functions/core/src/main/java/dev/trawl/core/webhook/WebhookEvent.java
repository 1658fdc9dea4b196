package dev.trawl.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.view.JobJson;
import dev.trawl.core.view.PartLinks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A job's terminal event: one per job, so its id is the job's, and every attempt and redelivery sends the same. */
public final class WebhookEvent {
    private WebhookEvent() {
    }

    public static String id(String jobId) {
        return Ids.EVENT + (jobId.startsWith(Ids.JOB) ? jobId.substring(Ids.JOB.length()) : jobId);
    }

    /** {@code job.completed}, {@code job.failed} or {@code job.cancelled}; the job must be terminal. */
    public static String type(Job job) {
        if (!job.status().terminal()) {
            throw new IllegalArgumentException("job " + job.id() + " is " + job.status().wire() + ", not terminal");
        }
        return "job." + job.status().wire();
    }

    /** The event's body: its id, type, when the job ended, and the job object as the API shows it now. */
    public static String body(Job job, Instant now, PartLinks links) {
        ObjectNode event = Json.object();
        event.put("id", id(job.id()));
        event.put("type", type(job));
        Instant created = job.completedAt() == null ? now : job.completedAt();
        event.put("created_at", created.truncatedTo(ChronoUnit.MILLIS).toString());
        event.set("data", JobJson.of(job, now, links));
        return Json.write(event);
    }
}
