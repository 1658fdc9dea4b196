package dev.trawl.core.port;

import dev.trawl.core.message.WebhookDelivery;

import java.util.List;

/** The attempts made to deliver jobs' events; removed with their job. */
public interface WebhookDeliveries {
    /** How many of a job's latest attempts are listed, and looked at to number the next run of attempts. */
    int LISTED = 100;

    void record(String tenant, String jobId, WebhookDelivery delivery);

    /** The job's most recent attempts, at most {@code limit}, oldest first. */
    List<WebhookDelivery> latest(String tenant, String jobId, int limit);
}
