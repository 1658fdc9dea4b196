package dev.trawl.core.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.JobSettings;

import java.util.List;

/**
 * A validated request for a new job: its settings and exactly one input, inline {@code entries} (as given), an
 * upload, or a client's object.
 */
public record JobRequest(String name, List<JsonNode> entries, JobSettings settings, String uploadId, S3Location s3,
                         String roleArn) {

    /** A job of inline entries. */
    public JobRequest(String name, List<JsonNode> entries, JobSettings settings) {
        this(name, entries, settings, null, null, null);
    }

    /** {@code s3://bucket/key}. */
    public record S3Location(String bucket, String key) {
    }
}
