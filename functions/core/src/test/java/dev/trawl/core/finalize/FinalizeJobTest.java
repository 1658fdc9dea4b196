package dev.trawl.core.finalize;

import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.output.ResultWriter;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ProcessChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinalizeJobTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";
    /** Three chunks' parts: 2, 3 and 1 rows. */
    private static final List<String> PARTS = List.of(
            "{\"line\":1,\"status\":\"ok\"}\n{\"line\":2,\"status\":\"error\"}\n",
            "{\"line\":3,\"status\":\"ok\"}\n{\"line\":4,\"status\":\"ok\"}\n{\"line\":5,\"status\":\"skipped\"}\n",
            "{\"line\":6,\"status\":\"ok\",\"meta\":{\"sku\":\"\u00e9\"}}\n");

    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private MutableClock clock;
    private RecordingWorkQueue queue;
    private FinalizeJob finalizer;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        clock = new MutableClock(NOW);
        queue = new RecordingWorkQueue();
        finalizer = new FinalizeJob(jobs, jobs, jobs, blobs, queue, clock);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    /** A job planned into {@code parts.size()} chunks, each committed (last first) with its part, finalize claimed. */
    private Job ready(JobSettings settings, List<String> parts) {
        Job job = TestJobs.submit(jobs, blobs, TENANT, NOW, settings, List.of());
        long total = parts.stream().mapToLong(p -> p.lines().count()).sum();
        clock.advance(Duration.ofSeconds(1));
        assertTrue(jobs.markPlanned(TENANT, job.id(), total, 0, parts.size(), clock.instant()));
        for (int c = parts.size() - 1; c >= 0; c--) {
            String key = BucketLayout.part(job.id(), c, "att" + c);
            blobs.putText(key, parts.get(c));
            long rows = parts.get(c).lines().count();
            assertEquals(ChunkLedger.ChunkCommit.COMMITTED, jobs.commitChunk(TENANT, job.id(),
                    new ChunkResult(c, rows, key, new Counters(rows, 0, 0), ChunkStats.NONE), clock.instant()));
        }
        assertTrue(jobs.claimFinalize(TENANT, job.id(), clock.instant()));
        clock.advance(Duration.ofSeconds(5));
        return job(job.id());
    }

    private Job job(String id) {
        return jobs.find(TENANT, id).orElseThrow();
    }

    private void finalizeJob(Job job) throws Exception {
        finalizer.finalizeJob(new JobRef(job.tenant(), job.id()));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aRunningJobEndsCompletedWithItsPartsInChunkOrder() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, PARTS);

        finalizeJob(job);

        String key = ResultWriter.partKey(TENANT, job.id(), 1, OutputSpec.DEFAULT);
        InMemoryBlobStore.Blob result = blobs.get(key);
        assertEquals(String.join("", PARTS), result.text());
        assertEquals("application/x-ndjson", result.contentType());
        Job done = job(job.id());
        assertEquals(JobStatus.COMPLETED, done.status());
        assertNull(done.failure());
        assertEquals(clock.instant(), done.completedAt());
        assertEquals(PhaseState.DONE, done.fetchState());
        assertEquals(PhaseState.DONE, done.finalizeState());
        assertEquals(List.of(new ResultPart(key, result.content().length, 6, sha256(result.content()))), done.resultParts());
        assertTrue(jobs.overduePage(NOW.plus(Duration.ofDays(30)), null, 10).jobs().isEmpty(), "a finished job is no longer watched for its lifetime");
    }

    @Test
    void aGzipResultIsTheSamePartsCompressed() throws Exception {
        Job job = ready(TestJobs.settings().output(new OutputSpec("ndjson", true)).build(), PARTS);

        finalizeJob(job);

        String key = ResultWriter.partKey(TENANT, job.id(), 1, new OutputSpec("ndjson", true));
        byte[] compressed = blobs.get(key).content();
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            plain = in.readAllBytes();
        }
        assertArrayEquals(String.join("", PARTS).getBytes(StandardCharsets.UTF_8), plain);
        ResultPart part = job(job.id()).resultParts().getFirst();
        assertEquals(compressed.length, part.bytes(), "bytes as stored");
        assertEquals(sha256(compressed), part.sha256());
        assertEquals(6, part.rows());
    }

    @Test
    void aCancellingJobEndsCancelled() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, PARTS);
        assertTrue(jobs.cancel(TENANT, job.id(), clock.instant()));

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(JobStatus.CANCELLED, done.status());
        assertNull(done.failure());
        assertEquals(String.join("", PARTS), blobs.text(done.resultParts().getFirst().key()), "the partial result is kept");
    }

    @Test
    void aJobPastItsLifetimeEndsCancelledWithLifetimeExceeded() throws Exception {
        Job job = ready(TestJobs.settings().maxLifetimeSeconds(3).build(), PARTS);
        assertTrue(jobs.expire(TENANT, job.id(), clock.instant()));

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(JobStatus.CANCELLED, done.status());
        assertEquals("lifetime_exceeded", done.failure().code());
        assertTrue(done.failure().message().contains("3 s"), done.failure().message());
        assertEquals(1, done.resultParts().size());
    }

    @Test
    void aJobStoppedForErrorsEndsFailedWithMaxErrorsExceeded() throws Exception {
        Job job = ready(TestJobs.settings().maxErrors(MaxErrors.ofPercent(5)).build(), PARTS);
        jobs.put(dev.trawl.core.testing.JobBuilder.from(job).counters(new Counters(3, 3, 0)).build());
        assertTrue(jobs.stopForErrors(TENANT, job.id(), 0, clock.instant()));

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(JobStatus.FAILED, done.status());
        assertEquals("max_errors_exceeded", done.failure().code());
        assertTrue(done.failure().message().contains("(5%)"), done.failure().message());
        assertEquals(String.join("", PARTS), blobs.text(done.resultParts().getFirst().key()), "what was fetched is kept");
    }

    @Test
    void aJobPastMaxErrorsWhoseStopWasNeverRecordedStillEndsFailed() throws Exception {
        Job job = ready(TestJobs.settings().maxErrors(MaxErrors.ofCount(2)).build(), PARTS);
        jobs.put(dev.trawl.core.testing.JobBuilder.from(job).counters(new Counters(3, 3, 0)).build());

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(JobStatus.FAILED, done.status());
        assertEquals("max_errors_exceeded", done.failure().code());
    }

    @Test
    void aJobAtMaxErrorsButNotPastItCompletes() throws Exception {
        Job job = ready(TestJobs.settings().maxErrors(MaxErrors.ofCount(3)).build(), PARTS);
        jobs.put(dev.trawl.core.testing.JobBuilder.from(job).counters(new Counters(3, 3, 0)).build());

        finalizeJob(job);

        assertEquals(JobStatus.COMPLETED, job(job.id()).status());
    }

    @Test
    void aJobStoppedForErrorsAndThenCancelledEndsCancelled() throws Exception {
        Job job = ready(TestJobs.settings().maxErrors(MaxErrors.ofCount(0)).build(), PARTS);
        jobs.put(dev.trawl.core.testing.JobBuilder.from(job).counters(new Counters(5, 1, 0)).build());
        assertTrue(jobs.stopForErrors(TENANT, job.id(), 0, clock.instant()));
        assertTrue(jobs.cancel(TENANT, job.id(), clock.instant()));
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, job(job.id()).stopReason());

        finalizeJob(job);

        assertEquals(JobStatus.CANCELLED, job(job.id()).status());
        assertNull(job(job.id()).failure());
    }

    @Test
    void finalizingTwiceChangesNothing() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, PARTS);
        finalizeJob(job);
        Job once = job(job.id());
        byte[] result = blobs.get(once.resultParts().getFirst().key()).content();

        clock.advance(Duration.ofMinutes(3));
        finalizeJob(job);

        assertEquals(once, job(job.id()));
        assertArrayEquals(result, blobs.get(once.resultParts().getFirst().key()).content());
    }

    @Test
    void theLinksLiveTheWholeDownloadUrlTtlFromCompletion() throws Exception {
        Job job = ready(TestJobs.settings().downloadUrlTtlSeconds(2_592_000).build(), PARTS);

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(done.completedAt().plus(Duration.ofDays(30)), done.linksExpireAt(),
                "no storage signature's 7 days cut it short: links are made when the job is shown");
    }

    @Test
    void aMissingChunkFailsTheFinalizeAndWritesNoResult() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, PARTS);
        // chunk 1's commit is lost: put the job back with the commits of chunks 0 and 2 only
        InMemoryJobStore gappy = new InMemoryJobStore();
        gappy.put(job);
        for (ChunkResult chunk : jobs.committedChunks(job.id())) {
            if (chunk.chunk() != 1) {
                gappy.commitChunk(TENANT, job.id(), chunk, clock.instant());
            }
        }
        gappy.put(job);
        FinalizeJob strict = new FinalizeJob(gappy, gappy, gappy, blobs, queue, clock);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> strict.finalizeJob(new JobRef(TENANT, job.id())));

        assertTrue(error.getMessage().contains("chunk 1"), error.getMessage());
        assertEquals(job, gappy.find(TENANT, job.id()).orElseThrow());
        assertNull(blobs.get(ResultWriter.partKey(TENANT, job.id(), 1, OutputSpec.DEFAULT)));
    }

    /** A chunk whose worker ran out of time is committed as segments; they are read in line order. */
    private Job readyInSegments(boolean dropMiddle) {
        Job job = TestJobs.submit(jobs, blobs, TENANT, NOW, JobSettings.DEFAULTS, List.of());
        assertTrue(jobs.markPlanned(TENANT, job.id(), 6, 0, 2, clock.instant()));
        String[] lines = String.join("", PARTS).split("(?<=\n)");
        int[][] segments = {{0, 0, 2}, {0, 2, 3}, {0, 3, 4}, {1, 4, 6}}; // chunk, first line, end (within the job)
        for (int i = segments.length - 1; i >= 0; i--) {
            int[] segment = segments[i];
            if (dropMiddle && i == 1) {
                continue;
            }
            int chunkStart = segment[0] == 0 ? 0 : 4;
            String key = BucketLayout.part(job.id(), segment[0], "seg" + i);
            blobs.putText(key, String.join("", java.util.Arrays.copyOfRange(lines, segment[1], segment[2])));
            long rows = segment[2] - segment[1];
            boolean complete = segment[0] == 1 || segment[2] == 4;
            jobs.commitChunk(TENANT, job.id(), new ChunkResult(segment[0], segment[1] - chunkStart, rows, key,
                    new Counters(rows, 0, 0), ChunkStats.NONE, complete), clock.instant());
        }
        return job(job.id());
    }

    @Test
    void segmentsOfAChunkAreWrittenInLineOrder() throws Exception {
        Job job = readyInSegments(false);
        assertTrue(jobs.claimFinalize(TENANT, job.id(), clock.instant()));

        finalizeJob(job);

        assertEquals(String.join("", PARTS), blobs.get(ResultWriter.partKey(TENANT, job.id(), 1, OutputSpec.DEFAULT)).text());
        assertEquals(JobStatus.COMPLETED, job(job.id()).status());
    }

    @Test
    void aMissingSegmentFailsTheFinalize() {
        Job job = readyInSegments(true);
        // the store would not let finalize be claimed (chunk 0 never completes): force the finalizer anyway
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> finalizer.finalizeJob(new JobRef(TENANT, job.id())));
        assertTrue(error.getMessage().contains("offset 2"), error.getMessage());
    }

    @Test
    void aJobThatIsGoneOrAlreadyTerminalIsLeftAlone() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, PARTS);
        finalizer.finalizeJob(new JobRef("tenant-b", job.id()));
        finalizer.finalizeJob(new JobRef(TENANT, "job_01JD3F2D1A77B0E1XYZ0000000"));

        assertEquals(job, job(job.id()));
        assertTrue(blobs.keys("results/").isEmpty());
    }

    @Test
    void aJobWhoseUrlsWereAllFilteredEndsCompletedWithAnEmptyResult() throws Exception {
        Job job = ready(JobSettings.DEFAULTS, List.of());

        finalizeJob(job);

        Job done = job(job.id());
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(0, done.resultParts().getFirst().rows());
        assertEquals(0, done.resultParts().getFirst().bytes());
    }

    /** Plan, work and finalize together: one row per input line, in order, whatever the chunk order. */
    @Test
    void aDryRunJobGoesThroughThePipelineToOneRowPerLine() throws Exception {
        RecordingWorkQueue queue = new RecordingWorkQueue();
        List<String> input = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            input.add(i == 4 ? "\"not a url\"" : TestJobs.quoted("https://example.com/" + i));
        }
        Job job = TestJobs.submit(jobs, blobs, TENANT, NOW, TestJobs.settings().dryRun(true).concurrency(40).build(), input);
        new PlanJob(jobs, jobs, blobs, queue, clock, 3).plan(new JobRef(TENANT, job.id()));
        ProcessChunk worker = new ProcessChunk(jobs, jobs, blobs, queue,
                new Fetcher(null, TargetPolicy.publicOnly(Set.of()), clock), clock);
        List<ChunkTask> tasks = new ArrayList<>(queue.chunks);
        java.util.Collections.reverse(tasks);
        for (ChunkTask task : tasks) {
            worker.process(task);
        }
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);

        finalizer.finalizeJob(queue.finalizeRequests.getFirst());

        Job done = job(job.id());
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(new Counters(0, 1, 10), done.counters());
        String[] rows = blobs.text(done.resultParts().getFirst().key()).split("\n");
        assertEquals(11, rows.length);
        for (int i = 0; i < rows.length; i++) {
            var row = Json.parse(rows[i]);
            assertEquals(i + 1, row.get("line").intValue());
            assertEquals(i == 3 ? "invalid_url" : "dry_run", row.at("/error/code").textValue());
        }
    }
}
