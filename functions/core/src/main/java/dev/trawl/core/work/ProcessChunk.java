package dev.trawl.core.work;

import dev.trawl.core.api.FetchOptionsParser;
import dev.trawl.core.fetch.FetchOutcome;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.Job;
import dev.trawl.core.plan.ChunkEntry;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Fetches one chunk's URLs and commits its rows and counters once.
 *
 * <p>Each delivery writes its rows to a part object of its own; the commit, a transaction keyed by the
 * chunk, names the part that counts, so a chunk delivered twice, even at once, yields one part and one count.
 * The delivery that commits the job's last chunk claims finalize and asks for it.
 */
public final class ProcessChunk {
    private static final Log LOG = Log.of("worker");
    private static final Set<String> ENTRY_FIELDS = Set.of("url", "meta");
    private final JobStore jobs;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Fetcher fetcher;
    private final Clock clock;

    public ProcessChunk(JobStore jobs, BlobStore blobs, WorkQueue queue, Fetcher fetcher, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.queue = queue;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    public void process(ChunkTask task) throws IOException, InterruptedException {
        if (jobs.committedChunk(task.jobId(), task.chunk()).isPresent()) {
            LOG.info(task.jobId(), "chunk already committed; delivery ignored", "chunk", task.chunk());
            finalizeIfLast(task);
            return;
        }
        Job job = jobs.find(task.tenant(), task.jobId()).orElse(null);
        if (job == null || job.status().terminal()) {
            LOG.warn(task.jobId(), "chunk for a job that is gone or terminal; dropped", "chunk", task.chunk());
            return;
        }
        List<ChunkEntry> entries = readChunk(task);
        List<ResultRow> rows = fetchAll(job, entries, task.concurrency());

        String partKey = WorkKeys.part(task.jobId(), task.chunk(), Ids.secret(6));
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
        ChunkResult result = new ChunkResult(task.chunk(), task.firstLine(), rows.size(), partKey, counters);
        if (jobs.commitChunk(task.tenant(), task.jobId(), result, clock.instant()) == JobStore.ChunkCommit.ALREADY_COMMITTED) {
            LOG.info(task.jobId(), "another delivery committed this chunk first; this part is dropped", "chunk", task.chunk());
            blobs.delete(partKey);
        } else {
            LOG.info(task.jobId(), "chunk committed", "chunk", task.chunk(), "rows", rows.size(),
                    "ok", counters.ok(), "errored", counters.errored());
        }
        finalizeIfLast(task);
    }

    private void finalizeIfLast(ChunkTask task) {
        if (!jobs.claimFinalize(task.tenant(), task.jobId(), clock.instant())) {
            return;
        }
        try {
            queue.requestFinalize(new JobRef(task.tenant(), task.jobId()));
            LOG.info(task.jobId(), "last chunk committed; finalize requested");
        } catch (RuntimeException e) {
            jobs.releaseFinalize(task.tenant(), task.jobId());
            throw e;
        }
    }

    private List<ChunkEntry> readChunk(ChunkTask task) throws IOException {
        List<ChunkEntry> entries = new ArrayList<>(task.lines());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                blobs.open(WorkKeys.chunk(task.jobId(), task.chunk())), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) {
                    entries.add(ChunkEntry.fromLine(line));
                }
            }
        }
        if (entries.size() != task.lines()) {
            throw new IOException("chunk " + task.chunk() + " holds " + entries.size() + " lines, the message says " + task.lines());
        }
        return entries;
    }

    private List<ResultRow> fetchAll(Job job, List<ChunkEntry> entries, int concurrency)
            throws InterruptedException, IOException {
        Semaphore inFlight = new Semaphore(concurrency);
        Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
        List<Future<ResultRow>> futures = new ArrayList<>(entries.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChunkEntry entry : entries) {
                futures.add(executor.submit(() -> fetchOne(job, entry, inFlight, perHost)));
            }
            List<ResultRow> rows = new ArrayList<>(entries.size());
            for (Future<ResultRow> future : futures) {
                rows.add(future.get());
            }
            return rows;
        } catch (ExecutionException e) {
            throw new IOException("a fetch failed unexpectedly", e.getCause());
        }
    }

    private ResultRow fetchOne(Job job, ChunkEntry entry, Semaphore inFlight, Map<String, Semaphore> perHost)
            throws InterruptedException {
        URI uri = Fetcher.parseUsable(entry.url());
        if (uri == null) {
            return ResultRow.invalidUrl(entry.line(), entry.url(), entry.meta(), clock.instant());
        }
        FetchOptions options = entry.entry().isObject()
                ? FetchOptionsParser.apply(job.defaults(), entry.entry(), "", ENTRY_FIELDS)
                : job.defaults();
        // Keyed by limit too: URLs that ask for different per-host limits each keep their own.
        Semaphore hostSlots = perHost.computeIfAbsent(uri.getHost().toLowerCase(Locale.ROOT) + "|" + options.perHostConcurrency(),
                key -> new Semaphore(options.perHostConcurrency()));
        hostSlots.acquire();
        try {
            inFlight.acquire();
            try {
                FetchOutcome outcome = fetcher.fetch(uri, options);
                return new ResultRow(entry.line(), entry.url(), outcome, entry.meta());
            } finally {
                inFlight.release();
            }
        } finally {
            hostSlots.release();
        }
    }
}
