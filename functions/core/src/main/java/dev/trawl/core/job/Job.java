package dev.trawl.core.job;

import java.time.Instant;
import java.util.List;

/**
 * A job as stored. {@code tenant} and the input's object key are internal;
 * {@link dev.trawl.core.view.JobJson} shows the rest to the client.
 *
 * @param stopReason  why the job is stopping or stopped early, or null
 * @param rate        recent progress samples, for {@code eta_s}
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
        JobInput input,
        JobSettings settings,
        String retryOf,
        PhaseState planState,
        Integer chunksTotal,
        PhaseState fetchState,
        int chunksDone,
        PhaseState finalizeState,
        StopReason stopReason,
        Failure failure,
        List<ResultPart> resultParts,
        RateSample rate) {

    /** The most URLs one job takes, after its filters, whatever its input. */
    public static final long MAX_URLS = 1_000_000;

    /** Two samples of {@code urls_done}: the rate between them estimates {@code eta_s}. */
    public record RateSample(Instant previousAt, long previousDone, Instant latestAt, long latestDone) {
    }

    /**
     * When the links to the job's result stop working: {@code download_url_ttl_s} after it completed, whatever signed
     * them; null while it has not.
     */
    public java.time.Instant linksExpireAt() {
        return completedAt == null ? null : completedAt.plusSeconds(settings.downloadUrlTtlSeconds());
    }

    /** A job just accepted by the API: nothing planned, counted or fetched yet. */
    public static Job accepted(String id, String tenant, String name, Instant now, JobInput input,
                               JobSettings settings, String retryOf) {
        return new Job(id, tenant, name, JobStatus.QUEUED, now, null, null, now, null, Counters.ZERO, 0,
                input, settings, retryOf, PhaseState.PENDING, null, PhaseState.PENDING, 0,
                PhaseState.PENDING, null, null, null, null);
    }

    /** The same job with its URLs counted (a job from a checked upload has its count at once). */
    public Job withUrlsTotal(Long total) {
        return new Job(id, tenant, name, status, createdAt, startedAt, completedAt, updatedAt, total, counters,
                urlsFiltered, input, settings, retryOf, planState, chunksTotal, fetchState, chunksDone, finalizeState,
                stopReason, failure, resultParts, rate);
    }

    /** The same job with other result links (signed anew). */
    public Job withResultParts(List<ResultPart> parts) {
        return new Job(id, tenant, name, status, createdAt, startedAt, completedAt, updatedAt, urlsTotal, counters,
                urlsFiltered, input, settings, retryOf, planState, chunksTotal, fetchState, chunksDone, finalizeState,
                stopReason, failure, parts, rate);
    }

    /** When the reaper ends the job if it is still running. */
    public Instant deadline() {
        return createdAt.plusSeconds(settings.maxLifetimeSeconds());
    }
}
