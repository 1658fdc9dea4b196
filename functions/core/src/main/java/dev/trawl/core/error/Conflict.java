package dev.trawl.core.error;

/** The thing is in a state that does not allow the request now ({@code job_active}, {@code upload_not_ready}, …). */
public final class Conflict extends Refusal {
    public Conflict(String code, String message) {
        this(code, message, null);
    }

    public Conflict(String code, String message, String field) {
        super(code, message, field);
    }
}
