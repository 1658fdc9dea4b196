package dev.trawl.core.port;

/**
 * The secrets the service keeps (a job's webhook secret, which it needs to sign events): stored only sealed, opened
 * only where used. A sealed secret is bound to its {@code context} (the job's id), so that one job's cannot be
 * passed off as another's.
 */
public interface Secrets {
    String seal(String plaintext, String context);

    /** @throws IllegalStateException when the secret cannot be opened (another context, a broken seal) */
    String open(String sealed, String context);
}
