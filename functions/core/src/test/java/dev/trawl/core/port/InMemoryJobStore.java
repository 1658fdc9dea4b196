package dev.trawl.core.port;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.work.ChunkResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link JobStore} in a map, keyed by tenant and id like the real one. Only the API's calls are implemented. */
public final class InMemoryJobStore implements JobStore {
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    private static String key(String tenant, String jobId) {
        return tenant + "\u0000" + jobId;
    }

    @Override
    public void create(Job job) {
        if (jobs.putIfAbsent(key(job.tenant(), job.id()), job) != null) {
            throw new IllegalStateException("job id reused: " + job.id());
        }
    }

    /** Puts a job as it is, for tests that need a job in some state. */
    public void put(Job job) {
        jobs.put(key(job.tenant(), job.id()), job);
    }

    public int size() {
        return jobs.size();
    }

    public List<Job> all() {
        return List.copyOf(jobs.values());
    }

    @Override
    public Optional<Job> find(String tenant, String jobId) {
        return Optional.ofNullable(jobs.get(key(tenant, jobId)));
    }

    @Override
    public JobPage list(String tenant, int limit, String afterJobId) {
        List<Job> mine = new ArrayList<>(jobs.values().stream()
                .filter(job -> job.tenant().equals(tenant))
                .filter(job -> afterJobId == null || job.id().compareTo(afterJobId) < 0)
                .sorted(Comparator.comparing(Job::id).reversed())
                .toList());
        List<Job> page = List.copyOf(mine.subList(0, Math.min(limit, mine.size())));
        String last = mine.size() > limit ? page.getLast().id() : null;
        return new JobPage(page, last);
    }

    @Override
    public boolean markPlanned(String tenant, String jobId, long urlsTotal, int chunksTotal, Instant now) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public Optional<ChunkResult> committedChunk(String jobId, int chunk) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public boolean claimFinalize(String tenant, String jobId, Instant now) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public void releaseFinalize(String tenant, String jobId) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public Iterable<ChunkResult> committedChunks(String jobId) {
        throw new UnsupportedOperationException("not used by the API");
    }

    @Override
    public boolean complete(String tenant, String jobId, List<ResultPart> parts, Instant now) {
        throw new UnsupportedOperationException("not used by the API");
    }
}
