package dev.trawl.core.port;

import dev.trawl.core.job.Job;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;

import java.time.Instant;

/** Idempotency-Keys of job creation: one job per key and tenant while the key lives. */
public interface IdempotencyKeys {

    /**
     * Stores a new job under an idempotency key, atomically: either both are stored, or the key is already taken
     * (and not expired at {@code now}) and the job is not stored.
     */
    default IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now,
                                        Instant keyExpiresAt) {
        return createOnce(job, idempotencyKey, fingerprint, now, keyExpiresAt, Ceilings.NONE);
    }

    /**
     * As {@link #createOnce(Job, String, String, Instant, Instant)}, the job counted in its tenant's usage as
     * {@link JobStore#create(Job, Ceilings)} counts it. A key already taken answers {@code Taken} even at a ceiling.
     *
     * @throws CeilingReached when the key is free but the job would pass a ceiling; nothing is stored then
     */
    IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now, Instant keyExpiresAt,
                                Ceilings ceilings);

    sealed interface IdempotentCreate {
        record Created() implements IdempotentCreate {
        }

        record Taken(String jobId, String fingerprint) implements IdempotentCreate {
        }
    }

    /** Frees a key that points at {@code jobId}, a job that no longer exists; a key taken since stays. */
    void forget(String tenant, String idempotencyKey, String jobId);
}
