package dev.trawl.core.job;

import java.time.Instant;
import java.util.List;

/**
 * A job as stored. {@code inputKey} (where the planner reads the entries) and {@code defaults} are internal;
 * everything else is what {@link dev.trawl.core.api.JobJson} shows the client.
 */
public record Job(
        String id,
        String tenant,
        String name,
        JobStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        Long urlsTotal,
        Counters counters,
        long urlsFiltered,
        int concurrency,
        String inputType,
        String inputKey,
        OutputSpec output,
        FetchOptions defaults,
        PhaseState planState,
        Integer chunksTotal,
        PhaseState fetchState,
        int chunksDone,
        PhaseState finalizeState,
        long downloadUrlTtlSeconds,
        Failure failure,
        List<ResultPart> resultParts) {

    public static final int DEFAULT_CONCURRENCY = 16;
    public static final long DEFAULT_DOWNLOAD_TTL_S = 86_400;

    /** A job just accepted by the API: nothing planned, counted or fetched yet. */
    public static Job accepted(String id, String tenant, String name, Instant now, int concurrency, String inputType,
                               String inputKey, OutputSpec output, FetchOptions defaults, long downloadUrlTtlSeconds) {
        return new Job(id, tenant, name, JobStatus.QUEUED, now, null, null, now, null, Counters.ZERO, 0,
                concurrency, inputType, inputKey, output, defaults, PhaseState.PENDING, null, PhaseState.PENDING, 0,
                PhaseState.PENDING, downloadUrlTtlSeconds, null, null);
    }
}
