package dev.trawl.core.api;

/** A client-facing error in the contract's form: {@code {"error": {"code", "message", "field"}}}. */
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

    public static ApiError invalid(String field, String message) {
        return new ApiError(400, "invalid_request", message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
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
