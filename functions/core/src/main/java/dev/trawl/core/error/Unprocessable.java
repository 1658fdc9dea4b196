package dev.trawl.core.error;

/** Well-formed, but nothing can be done with it ({@code nothing_to_retry}, {@code upload_invalid}, …). */
public final class Unprocessable extends Refusal {
    public Unprocessable(String code, String message, String field) {
        super(code, message, field);
    }
}
