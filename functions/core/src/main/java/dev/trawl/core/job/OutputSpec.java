package dev.trawl.core.job;

/** The result file's form: {@code ndjson} or {@code csv}, optionally gzipped. */
public record OutputSpec(String format, boolean gzip) {
    public static final OutputSpec DEFAULT = new OutputSpec("ndjson", false);

    public String extension() {
        return "." + format + (gzip ? ".gz" : "");
    }

    public String contentType() {
        if (gzip) {
            return "application/gzip";
        }
        return format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson";
    }
}
