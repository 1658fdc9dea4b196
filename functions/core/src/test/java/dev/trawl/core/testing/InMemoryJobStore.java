package dev.trawl.core.testing;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.metrics.LatencyHistogram;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.tenant.CeilingReached;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.tenant.TenantUsage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Every port of the job table ({@link JobStore}, {@link ChunkLedger}, {@link IdempotencyKeys},
 * {@link WebhookDeliveries}, {@link JobSweeps}) in maps, keyed by tenant and id like the DynamoDB adapters, with the
 * same condition on every change: what a conditional write there refuses, this refuses too (the port contract suites
 * run against both). Every call is atomic.
 */
public final class InMemoryJobStore implements JobStore, ChunkLedger, IdempotencyKeys, WebhookDeliveries, JobSweeps,
        JobRemoval {
    private static final Set<JobStatus> LIVE = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING);

    private record Key(String tenant, String jobId) {
    }

    private record IdempotencyKey(String tenant, String key) {
    }

    private record IdempotencyItem(String jobId, String fingerprint, Instant expiresAt) {
    }

    /** The job item: the job's fields, its metric sums, and whether it is in the deadline index (live jobs only). */
    private static final class Item {
        final JobBuilder job;
        boolean inDeadlineIndex;
        final Map<String, Long> httpClasses = new HashMap<>();
        final Map<String, Long> errors = new HashMap<>();
        long bytesFetched;
        long attempts;
        final Map<Integer, Long> latency = new HashMap<>();
        Long maxFetchMs;
        /** The concurrency this job holds in its tenant's usage, until it is terminal; null when not counted. */
        Integer counted;
        /** Who holds the finalize claim, when it was claimed with a token. */
        String finalizeClaimant;
        Instant finalizeClaimedAt;

        Item(JobBuilder job, boolean inDeadlineIndex) {
            this.job = job;
            this.inDeadlineIndex = inDeadlineIndex;
        }
    }

    private final Map<Key, Item> jobs = new HashMap<>();
    /** Chunk commits by job id, like the real table's {@code J#jobId} partition. */
    private final Map<String, TreeMap<Long, ChunkResult>> chunks = new HashMap<>();
    private final Map<IdempotencyKey, IdempotencyItem> idempotencyKeys = new HashMap<>();
    /** Webhook attempts by job id, keyed as the real table keys them: by millisecond, then attempt. */
    private final Map<String, TreeMap<DeliveryKey, Delivery>> deliveries = new HashMap<>();
    private final Map<String, String> sweepCursors = new HashMap<>();
    private final AtomicInteger finds = new AtomicInteger();
    /** Like the real table's {@code TN#tenant / USAGE} item. */
    private final Map<String, TenantUsage> usage = new HashMap<>();

    /**
     * Puts a job exactly as given (counts, result, stop reason…), for tests that need a job in some state; it does not
     * count in its tenant's usage (as a job stored before usage was counted).
     */
    public synchronized void put(Job job) {
        Item item = new Item(JobBuilder.from(job), !job.status().terminal());
        jobs.put(new Key(job.tenant(), job.id()), item);
    }

    public synchronized int size() {
        return jobs.size();
    }

    public synchronized List<Job> all() {
        return jobs.values().stream().map(item -> item.job.build()).sorted(Comparator.comparing(Job::id)).toList();
    }

    /** How many chunk commits the job has. */
    public synchronized int commitCount(String jobId) {
        TreeMap<Long, ChunkResult> commits = chunks.get(jobId);
        return commits == null ? 0 : commits.size();
    }

    public synchronized int idempotencyKeyCount() {
        return idempotencyKeys.size();
    }

    /** How often {@link #find} was called, e.g. by a running chunk looking for a stop. */
    public int findCalls() {
        return finds.get();
    }

    /** The item a new job starts as: the real store writes only these of the job's fields, counters at zero. */
    private static Item newItem(Job job) {
        JobBuilder b = new JobBuilder();
        b.id = job.id();
        b.tenant = job.tenant();
        b.name = job.name();
        b.status = job.status();
        b.createdAt = job.createdAt();
        b.updatedAt = job.updatedAt();
        b.counters = Counters.ZERO;
        b.urlsFiltered = 0;
        b.input = job.input();
        b.urlsTotal = job.urlsTotal();
        b.settings = job.settings();
        b.retryOf = job.retryOf();
        b.planState = job.planState();
        b.fetchState = job.fetchState();
        b.chunksDone = 0;
        b.finalizeState = job.finalizeState();
        b.completedAt = job.completedAt();
        b.failure = job.failure();
        return new Item(b, !job.status().terminal());
    }

    @Override
    public synchronized void create(Job job, Ceilings ceilings) {
        Key key = new Key(job.tenant(), job.id());
        if (jobs.containsKey(key)) {
            throw new IllegalStateException("job id reused: " + job.id());
        }
        if (job.status().terminal()) {
            jobs.put(key, newItem(job)); // born terminal: holds nothing
            return;
        }
        TenantUsage before = usage(job.tenant());
        CeilingReached reached = ceilings.check(before, job.settings().concurrency());
        if (reached != null) {
            throw reached;
        }
        Item item = newItem(job);
        item.counted = job.settings().concurrency();
        jobs.put(key, item);
        usage.put(job.tenant(), new TenantUsage(before.activeJobs() + 1, before.concurrency() + item.counted));
    }

    @Override
    public synchronized TenantUsage usage(String tenant) {
        return usage.getOrDefault(tenant, TenantUsage.NONE);
    }

    /** A job made terminal leaves its tenant's usage, once. */
    private void release(Item item) {
        if (item.counted != null) {
            TenantUsage before = usage(item.job.tenant);
            usage.put(item.job.tenant, new TenantUsage(before.activeJobs() - 1, before.concurrency() - item.counted));
            item.counted = null;
        }
    }

    @Override
    public synchronized IdempotentCreate createOnce(Job job, String idempotencyKey, String fingerprint, Instant now,
                                                    Instant keyExpiresAt, Ceilings ceilings) {
        IdempotencyKey key = new IdempotencyKey(job.tenant(), idempotencyKey);
        IdempotencyItem taken = idempotencyKeys.get(key);
        // Like the real condition: expires_at < now, both in epoch seconds.
        if (taken != null && !(taken.expiresAt().getEpochSecond() < now.getEpochSecond())) {
            return new IdempotentCreate.Taken(taken.jobId(), taken.fingerprint());
        }
        create(job, ceilings);
        idempotencyKeys.put(key, new IdempotencyItem(job.id(), fingerprint, keyExpiresAt));
        return new IdempotentCreate.Created();
    }

    @Override
    public synchronized void forget(String tenant, String idempotencyKey, String jobId) {
        IdempotencyKey key = new IdempotencyKey(tenant, idempotencyKey);
        IdempotencyItem item = idempotencyKeys.get(key);
        if (item != null && item.jobId().equals(jobId)) {
            idempotencyKeys.remove(key);
        }
    }

    @Override
    public synchronized Optional<Job> find(String tenant, String jobId) {
        finds.incrementAndGet();
        Item item = jobs.get(new Key(tenant, jobId));
        return item == null ? Optional.empty() : Optional.of(item.job.build());
    }

    @Override
    public synchronized JobPage list(String tenant, JobQuery query) {
        List<Job> matching = jobs.values().stream()
                .map(item -> item.job)
                .filter(job -> job.tenant.equals(tenant))
                .filter(job -> query.statuses() == null || query.statuses().contains(job.status))
                .filter(job -> query.namePrefix() == null || (job.name != null && job.name.startsWith(query.namePrefix())))
                .filter(job -> query.beforeId() == null || job.id.compareTo(query.beforeId()) < 0)
                .map(JobBuilder::build)
                .sorted(Comparator.comparing(Job::id).reversed())
                .toList();
        if (matching.size() > query.limit()) {
            List<Job> page = List.copyOf(matching.subList(0, query.limit()));
            return new JobPage(page, page.getLast().id());
        }
        return new JobPage(matching, null);
    }

    @Override
    public synchronized Optional<ChunkResult> committedChunk(String jobId, int chunk, int start) {
        TreeMap<Long, ChunkResult> commits = chunks.get(jobId);
        return commits == null ? Optional.empty() : Optional.ofNullable(commits.get(segment(chunk, start)));
    }

    /** Orders segments as the real store's keys do: by chunk, then by start. */
    private static long segment(int chunk, int start) {
        return ((long) chunk << 32) | start;
    }

    @Override
    public synchronized Iterable<ChunkResult> committedChunks(String jobId) {
        TreeMap<Long, ChunkResult> commits = chunks.get(jobId);
        return commits == null ? List.of() : List.copyOf(commits.values());
    }

    @Override
    public synchronized Optional<JobMetrics> metrics(String tenant, String jobId) {
        Item item = jobs.get(new Key(tenant, jobId));
        if (item == null) {
            return Optional.empty();
        }
        Map<String, Long> classes = new LinkedHashMap<>();
        for (String type : List.of("2xx", "3xx", "4xx", "5xx")) {
            classes.put(type, item.httpClasses.getOrDefault(type, 0L));
        }
        return Optional.of(new JobMetrics(classes, Map.copyOf(item.errors), item.bytesFetched, item.attempts,
                LatencyHistogram.of(item.latency), item.maxFetchMs));
    }

    private Item existing(String tenant, String jobId) {
        return jobs.get(new Key(tenant, jobId));
    }

    @Override
    public synchronized boolean markPlanned(String tenant, String jobId, long urlsTotal, long urlsFiltered, int chunksTotal,
                                            Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null || item.job.planState != PhaseState.PENDING) {
            return false;
        }
        JobBuilder job = item.job;
        if (job.status == JobStatus.QUEUED) {
            job.status = JobStatus.RUNNING;
        } else if (job.status != JobStatus.CANCELLING) {
            return false;
        }
        job.startedAt = now;
        job.updatedAt = now;
        job.urlsTotal = urlsTotal;
        job.urlsFiltered = urlsFiltered;
        job.chunksTotal = chunksTotal;
        job.planState = PhaseState.DONE;
        job.fetchState = PhaseState.RUNNING;
        return true;
    }

    @Override
    public synchronized boolean failPlanning(String tenant, String jobId, Failure failure, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null || item.job.planState != PhaseState.PENDING
                || (item.job.status != JobStatus.QUEUED && item.job.status != JobStatus.CANCELLING)) {
            return false;
        }
        JobBuilder job = item.job;
        job.status = JobStatus.FAILED;
        job.completedAt = now;
        job.updatedAt = now;
        job.planState = PhaseState.FAILED;
        job.fetchState = PhaseState.SKIPPED;
        job.finalizeState = PhaseState.SKIPPED;
        job.failure = failure;
        item.inDeadlineIndex = false;
        release(item);
        return true;
    }

    @Override
    public synchronized ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now) {
        TreeMap<Long, ChunkResult> commits = chunks.computeIfAbsent(jobId, id -> new TreeMap<>());
        if (commits.containsKey(segment(result.chunk(), result.start()))) {
            return ChunkCommit.ALREADY_COMMITTED;
        }
        Item item = existing(tenant, jobId);
        if (item == null) {
            if (commits.isEmpty()) {
                chunks.remove(jobId);
            }
            // the real transaction fails on the job's condition and throws
            throw new IllegalStateException("no job " + jobId + " of tenant " + tenant + " to commit a chunk to");
        }
        // The real chunk item keeps counts and the part, not the stats: they live in the job's sums.
        commits.put(segment(result.chunk(), result.start()), new ChunkResult(result.chunk(), result.start(),
                result.rows(), result.partKey(), result.counters(), ChunkStats.NONE, result.complete()));
        JobBuilder job = item.job;
        job.counters = job.counters.plus(result.counters());
        if (result.complete()) {
            job.chunksDone++;
        }
        job.updatedAt = now;
        ChunkStats stats = result.stats();
        item.bytesFetched += stats.bytesFetched();
        item.attempts += stats.attempts();
        stats.httpClasses().forEach((type, count) -> item.httpClasses.merge(type, count, Long::sum));
        stats.errors().forEach((code, count) -> item.errors.merge(code, count, Long::sum));
        stats.latency().forEach((bucket, count) -> item.latency.merge(bucket, count, Long::sum));
        return ChunkCommit.COMMITTED;
    }

    @Override
    public synchronized void recordMaxFetchMs(String tenant, String jobId, long millis) {
        Item item = existing(tenant, jobId);
        if (item != null && (item.maxFetchMs == null || item.maxFetchMs < millis)) {
            item.maxFetchMs = millis;
        }
    }

    @Override
    public synchronized void sampleProgress(String tenant, String jobId, Instant now, long minAgeSeconds) {
        Item item = existing(tenant, jobId);
        if (item == null) {
            return;
        }
        JobBuilder job = item.job;
        long done = job.counters.done();
        if (job.rate == null) {
            job.rate = new Job.RateSample(null, 0, now, done);
        } else if (job.rate.latestAt().isBefore(now.minusSeconds(minAgeSeconds))) {
            job.rate = new Job.RateSample(job.rate.latestAt(), job.rate.latestDone(), now, done);
        }
    }

    @Override
    public synchronized boolean claimFinalize(String tenant, String jobId, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null) {
            return false;
        }
        JobBuilder job = item.job;
        if ((job.status == JobStatus.RUNNING || job.status == JobStatus.CANCELLING)
                && job.chunksTotal != null && job.chunksDone == job.chunksTotal
                && job.finalizeState == PhaseState.PENDING) {
            job.fetchState = PhaseState.DONE;
            job.finalizeState = PhaseState.RUNNING;
            job.updatedAt = now;
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean claimFinalize(String tenant, String jobId, String claimant, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null) {
            return false;
        }
        boolean own = item.job.finalizeState == PhaseState.RUNNING && claimant.equals(item.finalizeClaimant)
                && !item.finalizeClaimedAt.isAfter(now.minus(OWN_CLAIM_AGE));
        if (own || claimFinalize(tenant, jobId, now)) {
            item.job.fetchState = PhaseState.DONE;
            item.job.updatedAt = now;
            item.finalizeClaimant = claimant;
            item.finalizeClaimedAt = now;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void releaseFinalize(String tenant, String jobId) {
        Item item = existing(tenant, jobId);
        if (item != null && item.job.finalizeState == PhaseState.RUNNING) {
            item.job.fetchState = PhaseState.RUNNING;
            item.job.finalizeState = PhaseState.PENDING;
            item.finalizeClaimant = null;
            item.finalizeClaimedAt = null;
        }
    }

    @Override
    public synchronized boolean cancel(String tenant, String jobId, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null || !LIVE.contains(item.job.status)) {
            return false;
        }
        item.job.status = JobStatus.CANCELLING;
        if (item.job.stopReason == null) {
            item.job.stopReason = StopReason.CANCELLED;
        }
        item.job.updatedAt = now;
        return true;
    }

    @Override
    public synchronized boolean expire(String tenant, String jobId, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null || !LIVE.contains(item.job.status)) {
            return false;
        }
        item.job.status = JobStatus.CANCELLING;
        item.job.stopReason = StopReason.LIFETIME_EXCEEDED;
        item.job.updatedAt = now;
        return true;
    }

    @Override
    public synchronized boolean stopForErrors(String tenant, String jobId, long allowedErrors, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null) {
            return false;
        }
        JobBuilder job = item.job;
        if (job.counters.errored() > allowedErrors && job.stopReason == null
                && (job.status == JobStatus.RUNNING || job.status == JobStatus.CANCELLING)) {
            job.stopReason = StopReason.MAX_ERRORS_EXCEEDED;
            job.updatedAt = now;
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean finish(String tenant, String jobId, JobStatus expected, JobStatus terminal, Failure failure,
                                       List<ResultPart> parts, Instant now) {
        Item item = existing(tenant, jobId);
        if (item == null || item.job.status != expected) {
            return false;
        }
        JobBuilder job = item.job;
        job.status = terminal;
        job.completedAt = now;
        job.updatedAt = now;
        job.fetchState = PhaseState.DONE;
        job.finalizeState = PhaseState.DONE;
        job.resultParts = new ArrayList<>(parts);
        if (failure != null) {
            job.failure = failure;
        }
        item.inDeadlineIndex = false;
        release(item);
        return true;
    }

    @Override
    public synchronized Purge purge(String tenant, String jobId) {
        Purge purged = removeRecord(tenant, jobId);
        if (purged == Purge.REMOVED) {
            removeRemnants(jobId); // everything in the job's own partition goes with it
        }
        return purged;
    }

    @Override
    public synchronized Purge removeRecord(String tenant, String jobId) {
        Item item = existing(tenant, jobId);
        if (item == null) {
            return Purge.ABSENT;
        }
        if (!item.job.status.terminal()) {
            return Purge.ACTIVE;
        }
        jobs.remove(new Key(tenant, jobId));
        return Purge.REMOVED;
    }

    @Override
    public synchronized void removeRemnants(String jobId) {
        chunks.remove(jobId);
        deliveries.remove(jobId);
    }

    private record DeliveryKey(long atMillis, int attempt) implements Comparable<DeliveryKey> {
        @Override
        public int compareTo(DeliveryKey other) {
            return Comparator.comparingLong(DeliveryKey::atMillis).thenComparingInt(DeliveryKey::attempt).compare(this, other);
        }
    }

    private record Delivery(String tenant, WebhookDelivery delivery) {
    }

    /** Like the real put: an attempt at the same millisecond and number replaces the one before; the strings are required. */
    @Override
    public synchronized void record(String tenant, String jobId, WebhookDelivery delivery) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(delivery.eventId(), "event id");
        Objects.requireNonNull(delivery.type(), "type");
        deliveries.computeIfAbsent(jobId, id -> new TreeMap<>())
                .put(new DeliveryKey(delivery.at().toEpochMilli(), delivery.attempt()), new Delivery(tenant, delivery));
    }

    /** Like the real query: the latest {@code limit} attempts, then those of the tenant among them. */
    @Override
    public synchronized List<WebhookDelivery> latest(String tenant, String jobId, int limit) {
        List<Delivery> all = List.copyOf(deliveries.getOrDefault(jobId, new TreeMap<>()).values());
        return all.subList(Math.max(0, all.size() - limit), all.size()).stream()
                .filter(d -> d.tenant().equals(tenant)).map(Delivery::delivery).toList();
    }

    /** An entry of the deadline index: its sort key (deadline in ms, then job id, as DynamoDB's) and its job. */
    private record IndexEntry(String key, Item item, long deadlineMs) {
    }

    /** The deadline index after {@code cursor}, in order, as one part. */
    private List<IndexEntry> deadlineIndexFrom(String cursor) {
        List<IndexEntry> entries = new ArrayList<>();
        for (Item item : jobs.values()) {
            if (item.inDeadlineIndex) {
                long deadlineMs = item.job.build().deadline().toEpochMilli();
                String key = String.format("%013d#%s", deadlineMs, item.job.id);
                if (cursor == null || key.compareTo(cursor) > 0) {
                    entries.add(new IndexEntry(key, item, deadlineMs));
                }
            }
        }
        entries.sort(Comparator.comparing(IndexEntry::key));
        return entries;
    }

    private static JobSweeps.Page page(List<IndexEntry> read, Predicate<IndexEntry> found, boolean more) {
        List<JobRef> refs = read.stream().filter(found)
                .map(entry -> new JobRef(entry.item().job.tenant, entry.item().job.id)).toList();
        return new JobSweeps.Page(refs, read.size(), more && !read.isEmpty() ? read.getLast().key() : null);
    }

    @Override
    public synchronized JobSweeps.Page overduePage(Instant now, String cursor, int limit) {
        // as the key condition: only entries before now are read
        List<IndexEntry> due = deadlineIndexFrom(cursor).stream()
                .filter(entry -> entry.deadlineMs() < now.toEpochMilli()).toList();
        List<IndexEntry> read = due.subList(0, Math.min(limit, due.size()));
        return page(read, entry -> true, due.size() > read.size());
    }

    @Override
    public synchronized JobSweeps.Page idlePage(Instant before, String cursor, int limit) {
        // as a filter: every entry counts as read, the idle ones are returned
        List<IndexEntry> all = deadlineIndexFrom(cursor);
        List<IndexEntry> read = all.subList(0, Math.min(limit, all.size()));
        return page(read, entry -> entry.item().job.updatedAt.isBefore(before), all.size() > read.size());
    }

    @Override
    public synchronized String cursor(String pass) {
        return sweepCursors.get(pass);
    }

    @Override
    public synchronized void saveCursor(String pass, String cursor) {
        if (cursor == null) {
            sweepCursors.remove(pass);
        } else {
            sweepCursors.put(pass, cursor);
        }
    }

    /** Like the real condition: only a job still in the deadline index. */
    @Override
    public synchronized void touch(String tenant, String jobId, Instant now) {
        Item item = existing(tenant, jobId);
        if (item != null && item.inDeadlineIndex) {
            item.job.updatedAt = now;
        }
    }
}
