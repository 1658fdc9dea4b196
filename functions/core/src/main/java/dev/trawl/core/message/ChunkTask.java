package dev.trawl.core.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of a chunk message: which lines to fetch, with how many fetches in flight.
 * {@code group} is the job's concurrency slot; the queue lets one chunk of a group run at a time,
 * so a job never has more than the sum of its groups' {@code concurrency} in flight.
 * {@code start} is where in the chunk's lines this message begins: 0, or where a worker that ran out of time
 * stopped (a continuation).
 */
public record ChunkTask(
        @JsonProperty("tenant") String tenant,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("chunk") int chunk,
        @JsonProperty("lines") int lines,
        @JsonProperty("group") int group,
        @JsonProperty("concurrency") int concurrency,
        @JsonProperty("start") int start) {

    public ChunkTask(String tenant, String jobId, int chunk, int lines, int group, int concurrency) {
        this(tenant, jobId, chunk, lines, group, concurrency, 0);
    }

    public String groupId() {
        return jobId + "#" + group;
    }

    /** Distinct per continuation, or the queue would drop a continuation sent soon after its chunk as a duplicate. */
    public String deduplicationId() {
        return start == 0 ? jobId + "-" + chunk : jobId + "-" + chunk + "+" + start;
    }

    /** The rest of this chunk, from line offset {@code from}. */
    public ChunkTask continuation(int from) {
        return new ChunkTask(tenant, jobId, chunk, lines, group, concurrency, from);
    }
}
