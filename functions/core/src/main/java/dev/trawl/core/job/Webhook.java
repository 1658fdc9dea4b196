package dev.trawl.core.job;

/**
 * Where a job's terminal event goes, and the secret it is signed with. The secret is shown once, in the answer that
 * created the job, and never again.
 */
public record Webhook(String url, String secret) {
    @Override
    public String toString() {
        return "Webhook[" + url + "]";
    }
}
