package dev.trawl.core.job;

/** One file of a job's result: where it is in the bucket (internal), its size, rows and checksum. */
public record ResultPart(String key, long bytes, long rows, String sha256) {
}
