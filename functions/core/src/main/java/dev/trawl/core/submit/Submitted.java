package dev.trawl.core.submit;

import dev.trawl.core.job.Job;

/**
 * A job just submitted (or found again under its Idempotency-Key), with its webhook secret as the client is shown it,
 * once: the stored job holds it sealed. Null when the job has no webhook.
 */
public record Submitted(Job job, String webhookSecret) {
    @Override
    public String toString() {
        return "Submitted[" + job.id() + "]";
    }
}
