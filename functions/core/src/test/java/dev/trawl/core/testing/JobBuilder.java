package dev.trawl.core.testing;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;

import java.time.Instant;
import java.util.List;

/** A {@link Job} with every field settable, for the in-memory store and for tests that need a job in some state. */
public final class JobBuilder {
    public String id;
    public String tenant;
    public String name;
    public JobStatus status;
    public Instant createdAt;
    public Instant startedAt;
    public Instant completedAt;
    public Instant updatedAt;
    public Long urlsTotal;
    public Counters counters;
    public long urlsFiltered;
    public JobInput input;
    public JobSettings settings;
    public String retryOf;
    public PhaseState planState;
    public Integer chunksTotal;
    public PhaseState fetchState;
    public int chunksDone;
    public PhaseState finalizeState;
    public StopReason stopReason;
    public Failure failure;
    public List<ResultPart> resultParts;
    public Job.RateSample rate;

    public static JobBuilder from(Job job) {
        JobBuilder b = new JobBuilder();
        b.id = job.id();
        b.tenant = job.tenant();
        b.name = job.name();
        b.status = job.status();
        b.createdAt = job.createdAt();
        b.startedAt = job.startedAt();
        b.completedAt = job.completedAt();
        b.updatedAt = job.updatedAt();
        b.urlsTotal = job.urlsTotal();
        b.counters = job.counters();
        b.urlsFiltered = job.urlsFiltered();
                b.input = job.input();
        b.settings = job.settings();
        b.retryOf = job.retryOf();
        b.planState = job.planState();
        b.chunksTotal = job.chunksTotal();
        b.fetchState = job.fetchState();
        b.chunksDone = job.chunksDone();
        b.finalizeState = job.finalizeState();
        b.stopReason = job.stopReason();
        b.failure = job.failure();
        b.resultParts = job.resultParts();
        b.rate = job.rate();
        return b;
    }

    public Job build() {
        return new Job(id, tenant, name, status, createdAt, startedAt, completedAt, updatedAt, urlsTotal, counters,
                urlsFiltered, input, settings, retryOf, planState, chunksTotal, fetchState, chunksDone,
                finalizeState, stopReason, failure, resultParts == null ? null : List.copyOf(resultParts), rate);
    }

    // ---- fluent setters for tests ----

    public JobBuilder status(JobStatus value) {
        status = value;
        return this;
    }

    public JobBuilder name(String value) {
        name = value;
        return this;
    }

    public JobBuilder createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    public JobBuilder startedAt(Instant value) {
        startedAt = value;
        return this;
    }

    public JobBuilder urlsTotal(Long value) {
        urlsTotal = value;
        return this;
    }

    public JobBuilder counters(Counters value) {
        counters = value;
        return this;
    }

    public JobBuilder settings(JobSettings value) {
        settings = value;
        return this;
    }

    public JobBuilder retryOf(String value) {
        retryOf = value;
        return this;
    }

    public JobBuilder chunksTotal(Integer value) {
        chunksTotal = value;
        return this;
    }

    public JobBuilder chunksDone(int value) {
        chunksDone = value;
        return this;
    }

    public JobBuilder phases(PhaseState plan, PhaseState fetch, PhaseState finalize) {
        planState = plan;
        fetchState = fetch;
        finalizeState = finalize;
        return this;
    }

    public JobBuilder stopReason(StopReason value) {
        stopReason = value;
        return this;
    }

    public JobBuilder failure(Failure value) {
        failure = value;
        return this;
    }

    public JobBuilder resultParts(List<ResultPart> value) {
        resultParts = value;
        return this;
    }

    public JobBuilder rate(Job.RateSample value) {
        rate = value;
        return this;
    }
}
