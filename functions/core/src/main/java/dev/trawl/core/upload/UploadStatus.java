package dev.trawl.core.upload;

import java.util.Locale;

public enum UploadStatus {
    PENDING, PROCESSING, READY, INVALID;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UploadStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
