package dev.trawl.core.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of plan and finalize messages. */
public record JobRef(@JsonProperty("tenant") String tenant, @JsonProperty("job_id") String jobId) {
}
