package dev.trawl.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.ResultRow;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.submit.Idempotency;
import dev.trawl.core.submit.RetryJob;
import dev.trawl.core.testing.ForwardingBlobStore;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryPlanLeases;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A retry's plan: the planner, not the API, reads the original's committed parts and cuts the entries that ended in
 * error (with their overrides and meta, in the original's order) into the retry's chunks, numbered by the retry's own
 * lines; chunks committed in segments, a plan in several invocations, an original gone, and a retry stored by the
 * former synchronous retry (its entries written as an inline input).
 */
class PlanRetryTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";

    private InMemoryJobStore jobs;
    private InMemoryBlobStore stored;
    private ClockedBlobs blobs;
    private RecordingWorkQueue queue;
    private MutableClock clock;
    private InMemoryPlanLeases leases;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        stored = new InMemoryBlobStore();
        blobs = new ClockedBlobs(stored);
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
        leases = new InMemoryPlanLeases(jobs);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    /** Line {@code n}'s entry: strings and objects with meta and overrides, every fifth one no URL. */
    private static String entry(int n) {
        return switch (n % 5) {
            case 0 -> TestJobs.quoted("not a url " + n);
            case 1 -> "{\"url\": \"https://example.com/" + n + "\", \"meta\": {\"n\": " + n + "}, \"retries\": 0}";
            case 2 -> "{\"url\": \"https://example.com/" + n + "\", \"headers\": {\"X-N\": \"" + n + "\"}}";
            default -> TestJobs.quoted("https://example.com/" + n);
        };
    }

    private RetryJob retryJob() {
        return new RetryJob(jobs, jobs, stored, queue, null, clock);
    }

    private PlanJob planner(int chunkSize) {
        return new PlanJob(jobs, jobs, leases, jobs, blobs, queue, clock, chunkSize, null);
    }

    /**
     * A job of {@code urls} entries planned into chunks of {@code chunkSize}, every chunk committed (those in
     * {@code segmented} in segments of {@code segment} rows, as a worker out of time commits them), the rows at
     * {@code errored} ending in error, a losing delivery's part (all errors) beside each; then ended {@code completed}.
     */
    private Job finishedOriginal(int urls, int chunkSize, Set<Long> errored, Set<Integer> segmented, int segment)
            throws Exception {
        Job job = TestJobs.submit(jobs, stored, TENANT, NOW, JobSettings.DEFAULTS,
                IntStream.rangeClosed(1, urls).mapToObj(PlanRetryTest::entry).toList());
        new PlanJob(jobs, jobs, stored, queue, clock, chunkSize).plan(new JobRef(TENANT, job.id()));
        Job planned = jobs.find(TENANT, job.id()).orElseThrow();
        for (int chunk = 0; chunk < planned.chunksTotal(); chunk++) {
            List<InputEntry> entries = new ArrayList<>();
            for (String line : stored.text(BucketLayout.chunk(job.id(), chunk)).split("\n")) {
                entries.add(InputEntry.fromLine(line));
            }
            int step = segmented.contains(chunk) ? segment : entries.size();
            for (int start = 0; start < entries.size(); start += step) {
                List<InputEntry> rows = entries.subList(start, Math.min(entries.size(), start + step));
                commit(job, chunk, start, rows, errored, start + rows.size() == entries.size());
            }
        }
        queue.chunks.clear();
        Job done = jobs.find(TENANT, job.id()).orElseThrow();
        jobs.put(JobBuilder.from(done).status(JobStatus.COMPLETED).phases(PhaseState.DONE, PhaseState.DONE, PhaseState.DONE)
                .build());
        return jobs.find(TENANT, job.id()).orElseThrow();
    }

    private void commit(Job job, int chunk, int start, List<InputEntry> entries, Set<Long> errored, boolean complete) {
        List<ResultRow> rows = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        StringBuilder losing = new StringBuilder();
        Counters counters = Counters.ZERO;
        for (InputEntry entry : entries) {
            FetchOutcome outcome = errored.contains(entry.line())
                    ? new FetchOutcome(RowStatus.ERROR, 500, entry.url(), "text/plain", 5, 20, 1, NOW, "http_error", "HTTP 500")
                    : new FetchOutcome(RowStatus.OK, 200, entry.url(), "text/html", 100, 30, 1, NOW, null, null);
            ResultRow row = new ResultRow(entry.line(), entry.url(), outcome, entry.meta());
            rows.add(row);
            counters = counters.with(row.status());
            part.append(row.toJson()).append('\n');
            losing.append(new ResultRow(entry.line(), entry.url(), new FetchOutcome(RowStatus.ERROR, null, null, null, 0,
                    0, 1, NOW, "timeout", "late"), entry.meta()).toJson()).append('\n');
        }
        String partKey = BucketLayout.part(job.id(), chunk, "won" + start);
        stored.putText(partKey, part.toString());
        stored.putText(BucketLayout.part(job.id(), chunk, "lost" + start), losing.toString());
        assertEquals(ChunkLedger.ChunkCommit.COMMITTED, jobs.commitChunk(TENANT, job.id(),
                new ChunkResult(chunk, start, rows.size(), partKey, counters, ChunkStats.of(rows), complete), NOW));
    }

    /** Plans the job, invocation after invocation while it queues its own continuation; answers how many it took. */
    private int planToTheEnd(String jobId, int chunkSize, Duration invocation) throws Exception {
        JobRef ref = new JobRef(TENANT, jobId);
        queue.planRequests.clear();
        queue.planRequests.add(ref);
        int invocations = 0;
        while (!queue.planRequests.isEmpty()) {
            queue.planRequests.removeFirst();
            invocations++;
            planner(chunkSize).inFlight(1, 1).plan(ref, invocation == null ? null : clock.instant().plus(invocation));
            assertTrue(invocations < 100, "the plan ends: " + jobs.find(TENANT, jobId).orElseThrow());
        }
        return invocations;
    }

    /** The retry's chunk files' entries in order; their lines must be the retry's own, 1 to n. */
    private List<JsonNode> plannedEntries(String jobId) {
        Job planned = jobs.find(TENANT, jobId).orElseThrow();
        List<JsonNode> entries = new ArrayList<>();
        for (int chunk = 0; chunk < planned.chunksTotal(); chunk++) {
            for (String line : stored.text(BucketLayout.chunk(jobId, chunk)).split("\n")) {
                InputEntry entry = InputEntry.fromLine(line);
                assertEquals(entries.size() + 1, entry.line(), "the retry's rows are numbered by its own lines");
                entries.add(entry.entry());
            }
        }
        assertEquals(planned.chunksTotal(), stored.keys(BucketLayout.chunksPrefix(jobId)).size(), "no other chunk file");
        assertEquals((long) entries.size(), planned.urlsTotal());
        return entries;
    }

    private static List<JsonNode> entriesAt(Iterable<Long> lines) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (long line : lines) {
            entries.add(Json.parse(entry((int) line)));
        }
        return entries;
    }

    @Test
    void theRetryPlansExactlyTheErroredEntriesInOrderFromSegmentedChunks() throws Exception {
        // chunks 1, 2 and 5 committed in segments of 2 and 3 lines: the segment's part is its chunk's lines from its start
        Set<Long> errored = new TreeSet<>(List.of(1L, 3L, 5L, 6L, 7L, 8L, 10L, 11L, 14L, 22L, 23L, 29L, 30L));
        Job original = finishedOriginal(30, 4, errored, Set.of(1, 2, 5), 3);
        assertEquals(errored.size(), original.counters().errored());

        String retryId = retryJob().retry(TENANT, original.id(), null).job().id();
        Job retry = jobs.find(TENANT, retryId).orElseThrow();
        assertEquals(JobStatus.QUEUED, retry.status());
        assertEquals("retry", retry.input().type());
        assertEquals(original.id(), retry.retryOf());

        assertEquals(1, planToTheEnd(retryId, 3, null));

        Job planned = jobs.find(TENANT, retryId).orElseThrow();
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(entriesAt(errored), plannedEntries(retryId), "every errored entry once, in order, as given");
        assertEquals(5, planned.chunksTotal());
        assertEquals(List.of(0, 1, 2, 3, 4), queue.chunks.stream().map(ChunkTask::chunk).sorted().toList());
    }

    @Test
    void aRetryPlannedInSeveralInvocationsGoesOnFromItsCheckpoint() throws Exception {
        Set<Long> errored = new TreeSet<>();
        for (long line = 1; line <= 400; line++) {
            if (line % 3 != 0) {
                errored.add(line);
            }
        }
        Job original = finishedOriginal(400, 7, errored, Set.of(3, 10, 20, 56), 2);
        String retryId = retryJob().retry(TENANT, original.id(), null).job().id();

        // every chunk file written takes a second; an invocation stops 30 s before its deadline, 40 s away
        blobs.secondsPerPut = 1;
        int invocations = planToTheEnd(retryId, 5, Duration.ofSeconds(40));

        assertTrue(invocations >= 3, "the plan took " + invocations + " invocations");
        assertEquals(entriesAt(errored), plannedEntries(retryId), "every errored entry once, in order, across invocations");
        assertEquals(54, jobs.find(TENANT, retryId).orElseThrow().chunksTotal());
    }

    @Test
    void aRetryWhoseOriginalWasRemovedFailsInputMissing() throws Exception {
        Job original = finishedOriginal(10, 4, Set.of(2L, 9L), Set.of(), 0);
        String retryId = retryJob().retry(TENANT, original.id(), null).job().id();
        jobs.purge(TENANT, original.id());

        planToTheEnd(retryId, 5, null);

        Job failed = jobs.find(TENANT, retryId).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("input_missing", failed.failure().code());
        assertTrue(failed.failure().message().contains(original.id()), failed.failure().message());
    }

    @Test
    void aRetryWhoseOriginalsWorkFilesExpiredSinceFailsInputMissing() throws Exception {
        Job original = finishedOriginal(10, 4, Set.of(2L, 9L), Set.of(), 0);
        String retryId = retryJob().retry(TENANT, original.id(), null).job().id();
        stored.deletePrefix(BucketLayout.partsPrefix(original.id()));

        planToTheEnd(retryId, 5, null);

        Job failed = jobs.find(TENANT, retryId).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("input_missing", failed.failure().code());
        assertTrue(stored.keys(BucketLayout.chunksPrefix(retryId)).isEmpty());
    }

    @Test
    void aRetryReplayedWithItsIdempotencyKeyIsOneJobPlannedOnce() throws Exception {
        Job original = finishedOriginal(20, 4, Set.of(4L, 5L, 17L), Set.of(2), 1);
        Idempotency key = Idempotency.of("r-1", "POST /v1/jobs/{id}/retry " + original.id(), "");

        String first = retryJob().retry(TENANT, original.id(), key).job().id();
        planToTheEnd(first, 2, null);
        String again = retryJob().retry(TENANT, original.id(), key).job().id();

        assertEquals(first, again);
        assertTrue(queue.planRequests.isEmpty(), "planned already: not asked for again");
        assertEquals(entriesAt(List.of(4L, 5L, 17L)), plannedEntries(first));
        assertEquals(2, jobs.find(TENANT, first).orElseThrow().chunksTotal());
    }

    @Test
    void aRetryStoredByTheFormerSynchronousRetryStillPlansFromItsInlineInput() throws Exception {
        Job original = finishedOriginal(10, 4, Set.of(2L, 9L), Set.of(), 0);
        // as the API stored one before: the errored entries written as the retry's own input, an inline job
        Job older = TestJobs.submit(jobs, stored, TENANT, NOW, JobSettings.DEFAULTS, List.of(entry(2), entry(9)));
        jobs.put(JobBuilder.from(older).retryOf(original.id()).build());
        assertEquals(JobInput.inline(BucketLayout.input(older.id())), older.input());

        planToTheEnd(older.id(), 5, null);

        assertEquals(entriesAt(List.of(2L, 9L)), plannedEntries(older.id()));
    }

    /** The service's bucket, where writing a file takes {@link #secondsPerPut} of the test's clock. */
    private final class ClockedBlobs extends ForwardingBlobStore {
        volatile int secondsPerPut;

        ClockedBlobs(BlobStore blobs) {
            super(blobs);
        }

        @Override
        public void put(String key, byte[] content, String contentType) {
            synchronized (this) {
                clock.advance(Duration.ofSeconds(secondsPerPut));
            }
            blobs.put(key, content, contentType);
        }
    }
}
