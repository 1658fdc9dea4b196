package dev.trawl.core.http;

/**
 * An error only HTTP has (no key, a media type the route does not take, the service failing), in the contract's form:
 * {@code {"error": {"code", "message", "field"}}}. The use cases' refusals are {@link dev.trawl.core.error.Refusal}s.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiError unauthorized() {
        return new ApiError(401, "unauthorized", "A valid API key is required: send 'Authorization: Bearer <api key>'.", null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
