package dev.trawl.core.job;

import dev.trawl.core.util.Ids;

/**
 * Where a job's terminal event goes, and the secret it is signed with. The secret is shown once, in the answer that
 * created the job, and never again; a stored job holds it sealed ({@link dev.trawl.core.port.Secrets}).
 */
public record Webhook(String url, String secret) {
    /** A webhook to {@code url} with a new secret. */
    public static Webhook to(String url) {
        return new Webhook(url, "whsec_" + Ids.secret(24));
    }

    public Webhook withSecret(String value) {
        return new Webhook(url, value);
    }

    @Override
    public String toString() {
        return "Webhook[" + url + "]";
    }
}
