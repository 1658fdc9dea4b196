package dev.trawl.core.job;

import java.util.Locale;

/** Why a job stops before all its URLs are fetched; also the {@code error.code} of the rows it skips. */
public enum StopReason {
    CANCELLED, MAX_ERRORS_EXCEEDED, LIFETIME_EXCEEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StopReason fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
