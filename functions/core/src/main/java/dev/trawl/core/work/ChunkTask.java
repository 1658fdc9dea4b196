package dev.trawl.core.work;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of a chunk message: which lines to fetch, with how many fetches in flight.
 * {@code group} is the job's concurrency slot; the queue lets one chunk of a group run at a time,
 * so a job never has more than the sum of its groups' {@code concurrency} in flight.
 */
public record ChunkTask(
        @JsonProperty("tenant") String tenant,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("chunk") int chunk,
        @JsonProperty("lines") int lines,
        @JsonProperty("group") int group,
        @JsonProperty("concurrency") int concurrency) {

    public String groupId() {
        return jobId + "#" + group;
    }

    public String deduplicationId() {
        return jobId + "-" + chunk;
    }
}
