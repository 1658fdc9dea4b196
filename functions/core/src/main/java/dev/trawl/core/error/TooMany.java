package dev.trawl.core.error;

/**
 * Beyond one of the tenant's limits: its request rate ({@code rate_limited}) or a ceiling on its live jobs
 * ({@code active_jobs_limit}, {@code concurrency_limit}). Asking again later may succeed.
 */
public final class TooMany extends Refusal {
    private final Long retryAfterSeconds;

    /** @param retryAfterSeconds whole seconds to wait before asking again, or null when unknown */
    public TooMany(String code, String message, Long retryAfterSeconds) {
        super(code, message, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
