package dev.trawl.core.job;

/** The result file's form: {@code ndjson} or {@code csv}, optionally gzipped, or {@code parquet} (zstd inside). */
public record OutputSpec(String format, boolean gzip) {
    public static final OutputSpec DEFAULT = new OutputSpec("ndjson", false);

    public String extension() {
        return "." + format + (gzip ? ".gz" : "");
    }

    public String contentType() {
        if (format.equals("parquet")) {
            return "application/vnd.apache.parquet";
        }
        if (gzip) {
            return "application/gzip";
        }
        return format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson";
    }
}
