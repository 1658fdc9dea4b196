package dev.trawl.core.job;

import java.util.Locale;

/**
 * The forms an input file may take. {@code ENTRIES} is the service's own: one JSON entry (a URL string or an
 * object) per line, as the API stores inline input.
 */
public enum InputFormat {
    TEXT, NDJSON, CSV, ENTRIES;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputFormat fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
