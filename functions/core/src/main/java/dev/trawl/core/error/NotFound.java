package dev.trawl.core.error;

/** No such thing for this tenant; another tenant's thing is told apart from nothing by nobody. */
public final class NotFound extends Refusal {
    public NotFound(String message) {
        this(message, null);
    }

    public NotFound(String message, String field) {
        super("not_found", message, field);
    }
}
