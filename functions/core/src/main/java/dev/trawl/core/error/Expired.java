package dev.trawl.core.error;

/** Something that worked for a while and no longer does, such as a download link past its expiry. */
public final class Expired extends Refusal {
    public Expired(String code, String message) {
        super(code, message, null);
    }
}
