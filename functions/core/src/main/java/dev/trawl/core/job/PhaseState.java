package dev.trawl.core.job;

import java.util.Locale;

public enum PhaseState {
    PENDING, RUNNING, DONE, FAILED, SKIPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PhaseState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
