package dev.trawl.core.error;

/** More than the service takes in one piece. */
public final class TooLarge extends Refusal {
    public TooLarge(String message) {
        this(message, null);
    }

    public TooLarge(String message, String field) {
        super("payload_too_large", message, field);
    }
}
