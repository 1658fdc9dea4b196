package dev.trawl.core.error;

/** Malformed input: wrong types, out-of-range values, unknown fields. */
public final class InvalidInput extends Refusal {
    public InvalidInput(String field, String message) {
        super("invalid_request", message, field);
    }
}
