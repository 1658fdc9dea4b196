package dev.trawl.core.row;

import java.util.Locale;

public enum RowStatus {
    OK, ERROR, SKIPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
