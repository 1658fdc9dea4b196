package dev.trawl.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.extract.Extractor;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.RobotsRules;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.finalize.FinalizeClaim;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.ConcurrencyGroups;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.FetchOptionsParser;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.ResultRow;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.trawl.core.fetch.Fetcher.NO_DEADLINE;

/**
 * Fetches one chunk's URLs and commits its rows, counters and metrics once.
 *
 * <p>Each delivery writes its rows to a part object of its own; the commit, a transaction keyed by the
 * chunk, names the part that counts, so a chunk delivered twice, even at once, yields one part and one count.
 * While the chunk runs, a stop of the job (cancel, lifetime, too many errors) lets the fetches in flight finish
 * and turns the URLs not yet started into {@code skipped} rows. The delivery that commits the job's last chunk
 * claims finalize and asks for it.
 */
public final class ProcessChunk {
    private static final Log LOG = Log.of("worker");
    private static final Set<String> ENTRY_FIELDS = Set.of("url", "meta");
    /** How often a running chunk looks at its job for a stop. */
    private static final Duration STOP_POLL = Duration.ofSeconds(1);
    /** The least time between two progress samples of a job, for eta_s. */
    private static final long PROGRESS_SAMPLE_S = 20;
    /** A finalize claimed this long ago without the job finishing is taken as lost. */
    private static final Duration STALE_FINALIZE = Duration.ofMinutes(20);
    /** How much of a page extraction reads: enough for any page's head and structured data. */
    static final int EXTRACT_BYTES = 5 * 1024 * 1024;
    private static final Duration MIN_RESERVE = Duration.ofSeconds(2);
    private static final Duration MAX_RESERVE = Duration.ofSeconds(20);
    private final JobStore jobs;
    private final ChunkLedger ledger;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Fetcher fetcher;
    private final RobotsRules robots;
    private final Extractor extractor = new Extractor();
    private final FinalizeClaim finalizeClaim;
    private final Clock clock;

    public ProcessChunk(JobStore jobs, ChunkLedger ledger, BlobStore blobs, WorkQueue queue, Fetcher fetcher, Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.blobs = blobs;
        this.queue = queue;
        this.fetcher = fetcher;
        this.robots = new RobotsRules(fetcher);
        this.finalizeClaim = new FinalizeClaim(jobs, queue, clock);
        this.clock = clock;
    }

    public void process(ChunkTask task) throws IOException, InterruptedException {
        process(task, null);
    }

    /**
     * @param budget how long this invocation may run, or null for no limit: when it nears its end, no more URLs
     *               start, fetches still running are abandoned, the lines finished in order are committed as a
     *               segment of the chunk, and the rest is queued as a continuation that fetches them again
     */
    public void process(ChunkTask task, Duration budget) throws IOException, InterruptedException {
        Job job = jobToWorkFor(task);
        if (job == null) {
            return;
        }
        List<InputEntry> entries = readChunk(task);
        long stopAtNanos = budget == null ? NO_DEADLINE : System.nanoTime() + budget.minus(reserve(budget)).toNanos();
        commit(job, task, entries, new Run(job, task, stopAtNanos).rows(entries));
    }

    /**
     * Ends a chunk that failed on every delivery (from its dead-letter queue): each line it has left becomes an
     * {@code error} row with {@code chunk_failed}, committed like any other, so the job still finishes. A job that
     * is stopping gets its stop's {@code skipped} rows instead, as a worker would have written.
     */
    public void failChunk(ChunkTask task) throws IOException {
        Job job = jobToWorkFor(task);
        if (job == null) {
            return;
        }
        List<InputEntry> entries = readChunk(task);
        StopReason stop = job.stopReason();
        Instant now = clock.instant();
        List<ResultRow> rows = entries.stream().map(entry -> stop != null
                ? ResultRow.skipped(entry.line(), entry.url(), entry.meta(), now, stop.wire())
                : ResultRow.refused(entry.line(), entry.url(), entry.meta(), now, "chunk_failed",
                        "the chunk these URLs were in failed on every delivery; they were not fetched")).toList();
        LOG.error(task.jobId(), "chunk failed on every delivery; its lines end as chunk_failed", null,
                "chunk", task.chunk(), "start", task.start(), "rows", rows.size());
        commit(job, task, entries, rows);
    }

    /**
     * The job a chunk message is for, or null when there is nothing to do: the segment is committed already (then
     * what follows it is seen to: the rest of the chunk, or finalize), or the job is gone or terminal.
     */
    private Job jobToWorkFor(ChunkTask task) {
        Optional<ChunkResult> committed = ledger.committedChunk(task.jobId(), task.chunk(), task.start());
        if (committed.isPresent()) {
            LOG.info(task.jobId(), "chunk already committed; delivery ignored", "chunk", task.chunk(), "start", task.start());
            continueOrFinalize(task, committed.get());
            return null;
        }
        Job job = jobs.find(task.tenant(), task.jobId()).orElse(null);
        if (job == null || job.status().terminal()) {
            LOG.warn(task.jobId(), "chunk for a job that is gone or terminal; dropped", "chunk", task.chunk());
            return null;
        }
        return job;
    }

    /** Writes the rows as the chunk's part and commits them, once, as the segment from the task's start. */
    private void commit(Job job, ChunkTask task, List<InputEntry> entries, List<ResultRow> rows) throws IOException {
        boolean complete = rows.size() == entries.size();

        String partKey = BucketLayout.part(task.jobId(), task.chunk(), Ids.secret(6));
        Counters counters = Counters.ZERO;
        try (BlobStore.Upload upload = blobs.create(partKey, "application/x-ndjson")) {
            Writer writer = new OutputStreamWriter(upload.stream(), StandardCharsets.UTF_8);
            for (ResultRow row : rows) {
                writer.write(row.toJson());
                writer.write('\n');
                counters = counters.with(row.status());
            }
            writer.flush();
            upload.commit();
        }
        ChunkStats stats = ChunkStats.of(rows);
        ChunkResult result = new ChunkResult(task.chunk(), task.start(), rows.size(), partKey, counters, stats, complete);
        if (ledger.commitChunk(task.tenant(), task.jobId(), result, clock.instant()) == ChunkLedger.ChunkCommit.ALREADY_COMMITTED) {
            LOG.info(task.jobId(), "another delivery committed this chunk first; this part is dropped", "chunk", task.chunk());
            blobs.delete(partKey);
            result = ledger.committedChunk(task.jobId(), task.chunk(), task.start()).orElse(result);
        } else {
            LOG.info(task.jobId(), complete ? "chunk committed" : "out of time: the lines done are committed, the rest queued",
                    "chunk", task.chunk(), "start", task.start(), "rows", rows.size(), "left", entries.size() - rows.size(),
                    "ok", counters.ok(), "errored", counters.errored(), "skipped", counters.skipped());
            afterCommit(job, task, counters, stats);
        }
        continueOrFinalize(task, result);
    }

    /** After a commit: queue the rest of a chunk that ran out of time, or see whether the job is ready to finalize. */
    private void continueOrFinalize(ChunkTask task, ChunkResult committed) {
        if (committed.complete()) {
            finalizeIfLast(task);
        } else {
            // Sent again by every redelivery of this segment: a continuation already done finds its own commit.
            queue.enqueueChunks(List.of(task.continuation(committed.end())));
        }
    }

    /** Time kept back from the invocation's end for writing the part, committing, and queueing the rest. */
    static Duration reserve(Duration budget) {
        Duration tenth = budget.dividedBy(10);
        return tenth.compareTo(MIN_RESERVE) < 0 ? MIN_RESERVE : tenth.compareTo(MAX_RESERVE) > 0 ? MAX_RESERVE : tenth;
    }

    /** Bookkeeping that is safe to repeat or to lose: it is not part of the exactly-once commit. */
    private void afterCommit(Job job, ChunkTask task, Counters counters, ChunkStats stats) {
        try {
            recordAfterCommit(job, task, counters, stats);
        } catch (RuntimeException e) {
            // A write conflicting with other chunks' commits must not fail a chunk that is committed.
            LOG.warn(task.jobId(), "bookkeeping after the commit failed; the finalizer checks the counters again",
                    "chunk", task.chunk(), "error", e.getClass().getSimpleName());
        }
    }

    private void recordAfterCommit(Job job, ChunkTask task, Counters counters, ChunkStats stats) {
        MaxErrors maxErrors = job.settings().maxErrors();
        // The job as read before the fetches misses what chunks running meanwhile committed: the store compares its
        // own count, which every commit so far has added to, after each commit that added errors.
        if (maxErrors != null && job.urlsTotal() != null && counters.errored() > 0
                && jobs.stopForErrors(task.tenant(), task.jobId(), maxErrors.allowed(job.urlsTotal()), clock.instant())) {
            LOG.info(task.jobId(), "max_errors exceeded; the job stops", "allowed", maxErrors.allowed(job.urlsTotal()));
        }
        if (stats.maxFetchMs() > 0) {
            ledger.recordMaxFetchMs(task.tenant(), task.jobId(), stats.maxFetchMs());
        }
        ledger.sampleProgress(task.tenant(), task.jobId(), clock.instant(), PROGRESS_SAMPLE_S);
    }

    private void finalizeIfLast(ChunkTask task) {
        // the segment is the claimant: its redelivery, after a claim whose answer was lost, recognises its own claim
        if (finalizeClaim.claimAndRequest(new JobRef(task.tenant(), task.jobId()), "chunk " + task.chunk() + "@" + task.start())) {
            LOG.info(task.jobId(), "last chunk committed; finalize requested");
        } else {
            requestFinalizeAgainIfStale(task);
        }
    }

    /**
     * A finalize claimed long ago for a job still not finished was lost (its sender died between claim and send):
     * a redelivered chunk asks for it again. The finalizer is idempotent, so a late duplicate costs work, not rows.
     */
    private void requestFinalizeAgainIfStale(ChunkTask task) {
        Job job = jobs.find(task.tenant(), task.jobId()).orElse(null);
        if (job != null && !job.status().terminal() && job.finalizeState() == PhaseState.RUNNING
                && job.chunksTotal() != null && job.chunksDone() == job.chunksTotal()
                && job.updatedAt().plus(STALE_FINALIZE).isBefore(clock.instant())) {
            queue.requestFinalize(new JobRef(task.tenant(), task.jobId()));
            LOG.warn(task.jobId(), "finalize was claimed but never finished; requested again");
        }
    }

    /** The chunk's lines from the task's start on. */
    private List<InputEntry> readChunk(ChunkTask task) throws IOException {
        List<InputEntry> entries = new ArrayList<>(task.lines());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                blobs.open(BucketLayout.chunk(task.jobId(), task.chunk())), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) {
                    entries.add(InputEntry.fromLine(line));
                }
            }
        }
        if (entries.size() != task.lines() || task.start() < 0 || task.start() >= task.lines()) {
            throw new IOException("chunk " + task.chunk() + " holds " + entries.size() + " lines, the message says "
                    + task.lines() + " from " + task.start());
        }
        return entries.subList(task.start(), entries.size());
    }

    /** One delivery's fetching of a chunk, watching its job for a stop while it runs. */
    private final class Run {
        private final Job job;
        private final ChunkTask task;
        private final AtomicReference<StopReason> stop = new AtomicReference<>();
        private final AtomicLong errored = new AtomicLong();
        private final long allowedErrors;
        private final long stopAtNanos;
        private final Extraction extraction;
        /** Set once a URL could not start in the time left: none after it starts either, so the rest stays in order. */
        private volatile boolean outOfTime;

        Run(Job job, ChunkTask task, long stopAtNanos) {
            this.job = job;
            this.task = task;
            this.stopAtNanos = stopAtNanos;
            this.extraction = job.settings().extraction();
            this.stop.set(job.stopReason());
            MaxErrors maxErrors = job.settings().maxErrors();
            this.allowedErrors = maxErrors == null || job.urlsTotal() == null ? Long.MAX_VALUE
                    : maxErrors.allowed(job.urlsTotal()) - job.counters().errored();
        }

        List<ResultRow> rows(List<InputEntry> entries) throws InterruptedException, IOException {
            // Fair, so that URLs start in input order and a stop skips the tail of the chunk, not random lines.
            Semaphore inFlight = new Semaphore(task.concurrency(), true);
            Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
            List<Future<ResultRow>> futures = new ArrayList<>(entries.size());
            Thread watcher = job.settings().dryRun() ? null : Thread.ofVirtual().start(this::watchForStop);
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < entries.size(); i++) {
                    InputEntry entry = entries.get(i);
                    // The first line always runs to its end, so that every delivery makes progress.
                    boolean first = i == 0;
                    futures.add(executor.submit(() -> row(entry, first, inFlight, perHost)));
                }
                List<ResultRow> rows = new ArrayList<>(entries.size());
                for (int i = 0; i < futures.size(); i++) {
                    ResultRow row = i == 0 ? futures.getFirst().get() : awaitUntilStop(futures.get(i));
                    if (row == null) {
                        break;
                    }
                    rows.add(row);
                }
                if (rows.size() < futures.size()) {
                    // Out of time: what still runs is abandoned, and fetched again by the continuation.
                    outOfTime = true;
                    futures.forEach(future -> future.cancel(true));
                }
                return rows;
            } catch (ExecutionException e) {
                throw new IOException("a fetch failed unexpectedly", e.getCause());
            } finally {
                if (watcher != null) {
                    watcher.interrupt();
                }
            }
        }

        /** The row, or null when the URL did not start in time or had not finished by the stop. */
        private ResultRow awaitUntilStop(Future<ResultRow> future) throws InterruptedException, ExecutionException {
            if (stopAtNanos == NO_DEADLINE) {
                return future.get();
            }
            try {
                return future.get(Math.max(0, stopAtNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return null;
            }
        }

        private boolean noTimeFor(FetchOptions options) {
            if (stopAtNanos != NO_DEADLINE && !outOfTime
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs()) - stopAtNanos > 0) {
                outOfTime = true;
            }
            return outOfTime;
        }

        private void watchForStop() {
            try {
                while (stop.get() == null) {
                    Thread.sleep(STOP_POLL);
                    jobs.find(task.tenant(), task.jobId()).map(Job::stopReason).ifPresent(reason -> stop.compareAndSet(null, reason));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn(task.jobId(), "could not look for a stop of the job; the chunk runs on", "chunk", task.chunk());
            }
        }

        private ResultRow row(InputEntry entry, boolean first, Semaphore inFlight, Map<String, Semaphore> perHost)
                throws InterruptedException {
            URI uri = entry.invalid() == null ? Fetcher.parseUsable(entry.url()) : null;
            if (uri == null && entry.invalid() == null && TargetPolicy.namesNonPublicAddress(entry.url())) {
                return ResultRow.blocked(entry.line(), entry.url(), entry.meta(), clock.instant());
            }
            if (uri == null) {
                return ResultRow.invalidUrl(entry.line(), entry.url(), entry.meta(), clock.instant(), entry.invalid());
            }
            if (job.settings().dryRun()) {
                return ResultRow.skipped(entry.line(), entry.url(), entry.meta(), clock.instant(), "dry_run");
            }
            FetchOptions options = entry.entry().isObject()
                    ? FetchOptionsParser.apply(job.settings().defaults(), entry.entry(), "", ENTRY_FIELDS)
                    : job.settings().defaults();
            // Keyed by limit too: URLs that ask for different per-host limits each keep their own. The job's other
            // groups run chunks at the same time, so this group keeps to its share of the limit.
            int share = ConcurrencyGroups.perHostShare(options.perHostConcurrency(), ConcurrencyGroups.groups(job.settings().concurrency()),
                    task.group());
            Semaphore hostSlots = perHost.computeIfAbsent(uri.getHost().toLowerCase(Locale.ROOT) + "|" + options.perHostConcurrency(),
                    key -> new Semaphore(share, true));
            hostSlots.acquire();
            try {
                inFlight.acquire();
                try {
                    StopReason reason = stop.get();
                    if (reason != null) {
                        return ResultRow.skipped(entry.line(), entry.url(), entry.meta(), clock.instant(), reason.wire());
                    }
                    if (!first && noTimeFor(options)) {
                        return null;
                    }
                    RobotsRules.Refusal refusal = options.respectRobots() ? robots.refusal(job.id(), uri, stopAtNanos) : null;
                    if (refusal != null) {
                        return ResultRow.refused(entry.line(), entry.url(), entry.meta(), clock.instant(),
                                refusal.code(), refusal.message());
                    }
                    int keep = extraction == null ? 0 : (int) Math.min(options.maxBytes(), EXTRACT_BYTES);
                    Fetcher.Fetched fetched = fetcher.fetch(uri, options, keep, stopAtNanos);
                    FetchOutcome outcome = fetched.outcome();
                    if (outcome.errorCode() != null && errored.incrementAndGet() > allowedErrors) {
                        stop.compareAndSet(null, StopReason.MAX_ERRORS_EXCEEDED);
                    }
                    JsonNode data = extraction == null || outcome.status() != RowStatus.OK ? null
                            : extractor.extract(extraction, fetched.body() == null ? new byte[0] : fetched.body(),
                                    fetched.bodyLength(), outcome.contentType());
                    return new ResultRow(entry.line(), entry.url(), outcome, entry.meta(), data);
                } finally {
                    inFlight.release();
                }
            } finally {
                hostSlots.release();
            }
        }
    }
}
