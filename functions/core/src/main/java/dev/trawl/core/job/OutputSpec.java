package dev.trawl.core.job;

/** The result file's form; this build writes {@code ndjson}, optionally gzipped. */
public record OutputSpec(String format, boolean gzip) {
    public static final OutputSpec DEFAULT = new OutputSpec("ndjson", false);

    public String extension() {
        return "." + format + (gzip ? ".gz" : "");
    }

    public String contentType() {
        return "application/x-ndjson";
    }
}
