package dev.trawl.core.error;

/**
 * A request the service refuses, said in the domain's words: what is wrong ({@code code}), for a person
 * ({@code message}), and which field is at fault when one is. It knows no protocol; the HTTP adapter gives each kind
 * its status.
 */
public abstract sealed class Refusal extends RuntimeException
        permits InvalidInput, NotFound, Conflict, Unprocessable, TooLarge, Expired, TooMany {
    private final String code;
    private final String field;

    Refusal(String code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    /** A snake_case word a client can act on, e.g. {@code invalid_request} or {@code job_active}. */
    public String code() {
        return code;
    }

    /** The JSON path of the field at fault, or null when the refusal is not about one field. */
    public String field() {
        return field;
    }
}
