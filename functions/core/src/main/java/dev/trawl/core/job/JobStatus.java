package dev.trawl.core.job;

import java.util.Locale;

public enum JobStatus {
    QUEUED, RUNNING, CANCELLING, CANCELLED, COMPLETED, FAILED;

    public boolean terminal() {
        return this == CANCELLED || this == COMPLETED || this == FAILED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
