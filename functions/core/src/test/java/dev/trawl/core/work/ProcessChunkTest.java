package dev.trawl.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.fetch.ConnectTunnel;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.NonPublicSpellings;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ProcessChunkTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";
    private static final FetchOptions NO_RETRIES = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8);

    private static HttpServer server;
    private static ExecutorService handlers;
    private static HttpClient client;
    private static String base;
    /** Requests by test: each test's URLs start with a path segment of its own, so a late request never counts elsewhere. */
    private static final Map<String, AtomicInteger> hitsByRun = new java.util.concurrent.ConcurrentHashMap<>();
    private static final AtomicInteger runs = new AtomicInteger();
    private static volatile String run;
    /** {@code /pair/…} answers once two requests wait; {@code /gate/…} once the test opens the gate. */
    private static volatile CountDownLatch pair = new CountDownLatch(2);
    private static volatile CountDownLatch gate = new CountDownLatch(1);
    /** {@code /quad/…} answers 500 once four requests wait. */
    private static volatile CountDownLatch quad = new CountDownLatch(4);

    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private RecordingWorkQueue queue;
    private MutableClock clock;
    private ProcessChunk worker;

    private static final AtomicInteger robotsFetches = new AtomicInteger();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            try (exchange) {
                String full = exchange.getRequestURI().getPath();
                if (full.equals("/robots.txt")) {
                    robotsFetches.incrementAndGet();
                    respond(exchange, 200, "User-agent: *\nDisallow: /\n\nUser-agent: Trawl\nDisallow: /*/secret/\n");
                    return;
                }
                int slash = full.indexOf('/', 1);
                hitsByRun.computeIfAbsent(full.substring(1, slash), r -> new AtomicInteger()).incrementAndGet();
                String path = full.substring(slash);
                if (path.startsWith("/product/")) {
                    byte[] page = ("<html><head><title>Blue mug | Shop</title><script type=\"application/ld+json\">"
                            + "{\"@type\": \"Product\", \"name\": \"Blue mug\", \"offers\": {\"price\": \"12.50\"}}"
                            + "</script></head><body><h1>Blue mug</h1></body></html>").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, page.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(page);
                    }
                } else if (path.startsWith("/fail/")) {
                    respond(exchange, 500, "nope");
                } else if (path.startsWith("/pair/")) {
                    pair.countDown();
                    await(pair);
                    respond(exchange, 200, "paired");
                } else if (path.startsWith("/quad/")) {
                    quad.countDown();
                    await(quad);
                    respond(exchange, 500, "all four at once");
                } else if (path.startsWith("/gate/")) {
                    await(gate);
                    respond(exchange, 200, "through");
                } else {
                    respond(exchange, 200, "hello");
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = Fetcher.newHttpClient(ConnectTunnel.start(TargetPolicy.publicOnly(Set.of("127.0.0.1"))));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        handlers.shutdownNow();
        client.close();
    }

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        run = "r" + runs.incrementAndGet();
        pair = new CountDownLatch(2);
        gate = new CountDownLatch(1);
        quad = new CountDownLatch(4);
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
        Fetcher fetcher = new Fetcher(client, TargetPolicy.publicOnly(Set.of("127.0.0.1")), clock);
        worker = new ProcessChunk(jobs, jobs, blobs, queue, fetcher, clock);
    }

    @AfterEach
    void restoreLog() {
        gate.countDown();
        Log.redirect(System.out);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static String url(String path) {
        return TestJobs.quoted(base + "/" + run + path);
    }

    /** Requests the server saw from this test. */
    private static int hits() {
        AtomicInteger count = hitsByRun.get(run);
        return count == null ? 0 : count.get();
    }

    private static List<String> urls(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> url(prefix + i)).toList();
    }

    /** A job submitted and planned as the API and the planner do; its chunk messages are in {@code queue.chunks}. */
    private Job planned(JobSettings settings, List<String> lines, int chunkSize) throws Exception {
        Job job = TestJobs.submit(jobs, blobs, TENANT, NOW, settings, lines);
        new PlanJob(jobs, jobs, blobs, queue, clock, chunkSize).plan(new JobRef(TENANT, job.id()));
        return job(job.id());
    }

    private Job job(String id) {
        return jobs.find(TENANT, id).orElseThrow();
    }

    private ChunkTask task(int chunk) {
        return queue.chunks.stream().filter(t -> t.chunk() == chunk).findFirst().orElseThrow();
    }

    /** The committed rows of a chunk, in order. */
    private List<JsonNode> rows(String jobId, int chunk) throws Exception {
        ChunkResult committed = jobs.committedChunk(jobId, chunk, 0).orElseThrow(() -> new AssertionError("chunk " + chunk + " not committed"));
        String text = blobs.text(committed.partKey());
        assertNotNull(text, "part " + committed.partKey());
        List<JsonNode> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            rows.add(Json.parse(line));
        }
        assertEquals(committed.rows(), rows.size());
        return rows;
    }

    /** Delivers the chunk messages at the same moment, as two workers would, and waits for both. */
    private void processAtOnce(ChunkTask first, ChunkTask second) throws Exception {
        ExecutorService deliveries = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = List.of(deliveries.submit(() -> {
                worker.process(first);
                return null;
            }), deliveries.submit(() -> {
                worker.process(second);
                return null;
            }));
            for (Future<?> delivery : both) {
                delivery.get(20, TimeUnit.SECONDS);
            }
        } finally {
            deliveries.shutdownNow();
        }
    }

    private static String errorCode(JsonNode row) {
        return row.path("error").path("code").asText(null);
    }

    private static long count(List<JsonNode> rows, String status, String code) {
        return rows.stream().filter(r -> r.get("status").textValue().equals(status) && java.util.Objects.equals(code, errorCode(r)))
                .count();
    }

    // ---- fetching and committing -----------------------------------------------------------------------

    @Test
    void aChunkIsFetchedAndCommittedWithItsCountsAndMetrics() throws Exception {
        List<String> lines = List.of(url("/ok/1"), "{\"url\": " + url("/ok/2") + ", \"meta\": {\"sku\": \"B-2\"}, \"retries\": 0}",
                TestJobs.quoted("not a url"), url("/fail/4"), url("/ok/5"));
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(4).build(), lines, 10);

        worker.process(task(0));

        assertEquals(4, hits(), "every usable URL once");
        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), rows.stream().map(r -> r.get("line").longValue()).toList());
        JsonNode first = rows.get(0);
        assertEquals("ok", first.get("status").textValue());
        assertEquals(200, first.get("http_status").intValue());
        assertEquals(base + "/" + run + "/ok/1", first.get("url").textValue());
        assertEquals(5, first.get("bytes").longValue());
        assertEquals(1, first.get("attempts").intValue());
        assertTrue(first.get("error").isNull());
        assertEquals(Json.parse("{\"sku\": \"B-2\"}"), rows.get(1).get("meta"));
        assertEquals("invalid_url", errorCode(rows.get(2)));
        assertEquals("http_error", errorCode(rows.get(3)));
        assertEquals(500, rows.get(3).get("http_status").intValue());

        Job after = job(job.id());
        assertEquals(new Counters(3, 2, 0), after.counters());
        assertEquals(1, after.chunksDone());
        assertNotNull(after.rate(), "a progress sample for eta_s");
        JobMetrics metrics = jobs.metrics(TENANT, job.id()).orElseThrow();
        assertEquals(3L, metrics.httpClasses().get("2xx"));
        assertEquals(1L, metrics.httpClasses().get("5xx"));
        assertEquals(Map.of("invalid_url", 1L, "http_error", 1L), metrics.errors());
        assertEquals(4, metrics.attempts());
        assertEquals(4, metrics.latency().total());
        assertNotNull(metrics.maxFetchMs());
        assertTrue(blobs.keys(BucketLayout.workPrefix(job.id()) + "parts/").size() == 1);
    }

    @Test
    void aDryRunFetchesNothing() throws Exception {
        List<String> lines = new ArrayList<>(urls("/ok/", 3));
        lines.add(TestJobs.quoted("not a url"));
        lines.add(TestJobs.quoted("ftp://example.com/x"));
        lines.add("{\"url\": " + url("/ok/6") + ", \"meta\": {\"n\": 6}}");
        Job job = planned(TestJobs.settings().dryRun(true).build(), lines, 4);

        worker.process(task(0));
        worker.process(task(1));

        assertEquals(0, hits(), "nothing fetched");
        List<JsonNode> rows = new ArrayList<>(rows(job.id(), 0));
        rows.addAll(rows(job.id(), 1));
        assertEquals(List.of("dry_run", "dry_run", "dry_run", "invalid_url", "invalid_url", "dry_run"),
                rows.stream().map(ProcessChunkTest::errorCode).toList());
        assertEquals(List.of("skipped", "skipped", "skipped", "error", "error", "skipped"),
                rows.stream().map(r -> r.get("status").textValue()).toList());
        for (JsonNode row : rows) {
            assertTrue(row.get("http_status").isNull());
            assertEquals(0, row.get("attempts").intValue());
        }
        assertEquals(Json.parse("{\"n\": 6}"), rows.get(5).get("meta"));
        assertEquals(new Counters(0, 2, 4), job(job.id()).counters());
        assertNull(jobs.metrics(TENANT, job.id()).orElseThrow().latency().quantile(0.5));
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void aCancelledJobsRowsAreSkippedWithoutFetching() throws Exception {
        List<String> lines = new ArrayList<>(urls("/ok/", 4));
        lines.add(1, TestJobs.quoted("not a url"));
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), lines, 2);
        assertTrue(jobs.cancel(TENANT, job.id(), NOW));

        for (int c = 0; c < 3; c++) {
            worker.process(task(c));
        }

        assertEquals(0, hits());
        List<JsonNode> rows = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            rows.addAll(rows(job.id(), c));
        }
        assertEquals(List.of("cancelled", "invalid_url", "cancelled", "cancelled", "cancelled"),
                rows.stream().map(ProcessChunkTest::errorCode).toList());
        assertEquals(4, count(rows, "skipped", "cancelled"));
        assertEquals("the job was cancelled before this URL was fetched",
                rows.getFirst().get("error").get("message").textValue());
        Job after = job(job.id());
        assertEquals(new Counters(0, 1, 4), after.counters());
        assertEquals(JobStatus.CANCELLING, after.status());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests, "a cancelling job is finalized too");
    }

    @Test
    void anExpiredJobsRowsAreSkippedAsLifetimeExceeded() throws Exception {
        Job job = planned(TestJobs.settings().maxLifetimeSeconds(60).build(), urls("/ok/", 3), 5);
        assertTrue(jobs.expire(TENANT, job.id(), NOW.plusSeconds(61)));

        worker.process(task(0));

        assertEquals(0, hits());
        assertEquals(3, count(rows(job.id(), 0), "skipped", "lifetime_exceeded"));
    }

    // ---- max_errors ------------------------------------------------------------------------------------

    @Test
    void pastMaxErrorsTheRestOfTheChunkIsSkippedAndTheJobStops() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(1).maxErrors(MaxErrors.ofCount(3)).build(),
                urls("/fail/", 20), 20);
        assertEquals(1, task(0).concurrency());

        worker.process(task(0));

        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(20, rows.size());
        long fetched = count(rows, "error", "http_error");
        long skipped = count(rows, "skipped", "max_errors_exceeded");
        assertEquals(20, fetched + skipped, "every row is one or the other");
        assertEquals(4, fetched, "one fetch at a time, so it stops at the first error past the 3 allowed");
        assertEquals(fetched, hits());
        Job after = job(job.id());
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, after.stopReason());
        assertEquals(JobStatus.RUNNING, after.status(), "the finalizer ends it");
        assertEquals(new Counters(0, fetched, skipped), after.counters());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void maxErrorsAsAPercentageOfTheJob() throws Exception {
        // 10 % of 20 URLs: 2 allowed
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(1).maxErrors(MaxErrors.ofPercent(10)).build(),
                urls("/fail/", 20), 20);

        worker.process(task(0));

        assertEquals(3, count(rows(job.id(), 0), "error", "http_error"));
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, job(job.id()).stopReason());
    }

    @Test
    void theNextChunksOfAJobStoppedForErrorsFetchNothing() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(1).maxErrors(MaxErrors.ofCount(3)).build(),
                urls("/fail/", 20), 10);

        worker.process(task(0));
        int hitsAfterFirst = hits();
        worker.process(task(1));

        assertEquals(4, hitsAfterFirst);
        assertEquals(hitsAfterFirst, hits());
        assertEquals(10, count(rows(job.id(), 1), "skipped", "max_errors_exceeded"));
        assertEquals(new Counters(0, 4, 16), job(job.id()).counters());
    }

    /**
     * Chunks of different groups run at once: each may see few errors, and only together pass max_errors. The job
     * must stop (and end failed) all the same.
     */
    @Test
    void chunksRunningAtOnceThatTogetherPassMaxErrorsStopTheJob() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(64).maxErrors(MaxErrors.ofCount(3)).build(),
                urls("/quad/", 4), 2);
        assertEquals(List.of(0, 1), queue.chunks.stream().map(ChunkTask::group).toList(), "two groups, fetching at once");

        processAtOnce(task(0), task(1));

        Job after = job(job.id());
        assertEquals(new Counters(0, 4, 0), after.counters(), "4 errors, 3 allowed");
        assertEquals(StopReason.MAX_ERRORS_EXCEEDED, after.stopReason());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void errorsWithinMaxErrorsDoNotStopTheJob() throws Exception {
        List<String> lines = new ArrayList<>(urls("/ok/", 8));
        lines.set(2, url("/fail/3"));
        lines.set(5, url("/fail/6"));
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(2).maxErrors(MaxErrors.ofCount(2)).build(),
                lines, 4);

        worker.process(task(0));
        worker.process(task(1));

        assertEquals(8, hits());
        Job after = job(job.id());
        assertNull(after.stopReason());
        assertEquals(new Counters(6, 2, 0), after.counters());
    }

    // ---- exactly once ----------------------------------------------------------------------------------

    @Test
    void aChunkDeliveredTwiceCommitsOnce() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), urls("/ok/", 3), 3);

        worker.process(task(0));
        Job once = job(job.id());
        ChunkResult committed = jobs.committedChunk(job.id(), 0, 0).orElseThrow();
        worker.process(task(0));

        assertEquals(3, hits(), "the second delivery fetches nothing");
        assertEquals(once.counters(), job(job.id()).counters());
        assertEquals(1, job(job.id()).chunksDone());
        assertEquals(committed, jobs.committedChunk(job.id(), 0, 0).orElseThrow());
        assertEquals(Set.of(committed.partKey()), blobs.keys(BucketLayout.workPrefix(job.id()) + "parts/"));
        assertEquals(1, queue.finalizeRequests.size());
    }

    @Test
    void twoDeliveriesAtOnceCommitOneAndDropTheOtherPart() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), List.of(url("/pair/1")), 1);

        processAtOnce(task(0), task(0));

        assertEquals(2, hits(), "both deliveries fetched");
        Job after = job(job.id());
        assertEquals(new Counters(1, 0, 0), after.counters(), "counted once");
        assertEquals(1, after.chunksDone());
        assertEquals(1, jobs.commitCount(job.id()));
        ChunkResult committed = jobs.committedChunk(job.id(), 0, 0).orElseThrow();
        assertEquals(Set.of(committed.partKey()), blobs.keys(BucketLayout.workPrefix(job.id()) + "parts/"), "the loser's part is gone");
        assertEquals(1, queue.finalizeRequests.size());
    }

    @Test
    void theLastChunkCommittedClaimsFinalizeOnce() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), urls("/ok/", 7), 3);
        assertEquals(3, queue.chunks.size());

        worker.process(task(0));
        worker.process(task(2));
        assertTrue(queue.finalizeRequests.isEmpty());
        assertEquals(PhaseState.RUNNING, job(job.id()).fetchState());

        worker.process(task(1));

        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
        Job after = job(job.id());
        assertEquals(3, after.chunksDone());
        assertEquals(PhaseState.DONE, after.fetchState());
        assertEquals(PhaseState.RUNNING, after.finalizeState());
        assertEquals(7, after.counters().done());

        worker.process(task(1));
        worker.process(task(2));
        assertEquals(1, queue.finalizeRequests.size(), "claimed once");
    }

    @Test
    void aFinalizeRequestThatCannotBeSentIsReleasedForTheNextDelivery() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), urls("/ok/", 2), 2);
        WorkQueue failing = new WorkQueue() {
            @Override
            public void requestPlan(JobRef ref) {
                queue.requestPlan(ref);
            }

            @Override
            public void enqueueChunks(List<ChunkTask> chunks) {
                queue.enqueueChunks(chunks);
            }

            @Override
            public void requestFinalize(JobRef ref) {
                throw new IllegalStateException("queue down");
            }

            @Override
            public void sendWebhook(dev.trawl.core.message.WebhookTask task, Duration delay) {
                throw new UnsupportedOperationException("no webhooks here");
            }
        };
        ProcessChunk unlucky = new ProcessChunk(jobs, jobs, blobs, failing,
                new Fetcher(client, TargetPolicy.publicOnly(Set.of("127.0.0.1")), clock), clock);

        try {
            unlucky.process(task(0));
            throw new AssertionError("the send failure must fail the delivery, so that it is redelivered");
        } catch (IllegalStateException expected) {
            assertEquals("queue down", expected.getMessage());
        }
        assertEquals(PhaseState.PENDING, job(job.id()).finalizeState());

        worker.process(task(0));

        assertEquals(2, hits(), "the redelivery does not fetch again");
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void aChunkOfAJobThatIsGoneOrTerminalIsDropped() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).build(), urls("/ok/", 2), 2);
        jobs.put(JobBuilder.from(job(job.id())).status(JobStatus.CANCELLED).build());
        ChunkTask other = new ChunkTask("tenant-b", job.id(), 0, 2, 0, 16);

        worker.process(task(0));
        worker.process(other);

        assertEquals(0, hits());
        assertEquals(0, jobs.commitCount(job.id()));
        assertTrue(queue.finalizeRequests.isEmpty());
    }

    // ---- a stop while the chunk runs ---------------------------------------------------------------------

    @Test
    void aCancelWhileTheChunkRunsLetsTheFetchInFlightFinishAndSkipsTheRest() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(1).build(), urls("/gate/", 6), 6);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<?> running = runner.submit(() -> {
                worker.process(task(0));
                return null;
            });
            while (hits() < 1) {
                Thread.sleep(5);
            }
            assertTrue(jobs.cancel(TENANT, job.id(), NOW));
            int findsAtCancel = jobs.findCalls();
            long giveUp = System.nanoTime() + 5_000_000_000L;
            while (jobs.findCalls() == findsAtCancel && System.nanoTime() < giveUp) {
                Thread.sleep(5); // the chunk's watcher looks at the job about once a second
            }
            Thread.sleep(100);
            gate.countDown();
            running.get(20, TimeUnit.SECONDS);
        } finally {
            runner.shutdownNow();
        }

        List<JsonNode> rows = rows(job.id(), 0);
        long fetched = count(rows, "ok", null);
        long skipped = count(rows, "skipped", "cancelled");
        assertEquals(6, fetched + skipped);
        assertTrue(fetched >= 1 && fetched <= 2, "the fetch in flight finishes, the rest are skipped: " + fetched);
        assertEquals(fetched, hits());
        assertEquals(new Counters(fetched, 0, skipped), job(job.id()).counters());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    // ---- the invocation's time budget ------------------------------------------------------------------

    @Test
    void nearTheDeadlineNoMoreUrlsStartAndTheRestIsQueuedAsAContinuationThatCompletesTheChunk() throws Exception {
        FetchOptions tenSeconds = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8);
        Job job = planned(TestJobs.settings().defaults(tenSeconds).concurrency(1).build(), urls("/ok/", 5), 10);

        // 2.3 s less the 2 s kept for committing: the first URL always runs, no other fits a 10 s time-out.
        worker.process(task(0), Duration.ofMillis(2_300));

        assertEquals(1, hits());
        ChunkResult first = jobs.committedChunk(job.id(), 0, 0).orElseThrow();
        assertEquals(1, first.rows());
        assertFalse(first.complete());
        ChunkTask continuation = queue.chunks.getLast();
        assertEquals(task(0).continuation(1), continuation);
        assertEquals(job.id() + "-0+1", continuation.deduplicationId());
        assertEquals(1, job(job.id()).counters().done());
        assertEquals(0, job(job.id()).chunksDone(), "the chunk is not done until its last segment");
        assertTrue(queue.finalizeRequests.isEmpty());

        worker.process(task(0)); // the first delivery again: nothing fetched, the continuation sent again
        assertEquals(1, hits());
        assertEquals(continuation, queue.chunks.getLast());

        worker.process(continuation);
        worker.process(continuation); // and a duplicate of the continuation
        assertEquals(5, hits(), "every line fetched once");
        List<ChunkResult> segments = new ArrayList<>();
        jobs.committedChunks(job.id()).forEach(segments::add);
        assertEquals(List.of(0, 1), segments.stream().map(ChunkResult::start).toList());
        assertEquals(List.of(1L, 4L), segments.stream().map(ChunkResult::rows).toList());
        assertTrue(segments.getLast().complete());
        List<Long> lines = new ArrayList<>();
        for (ChunkResult segment : segments) {
            for (String line : blobs.text(segment.partKey()).split("\n")) {
                lines.add(Json.parse(line).get("line").longValue());
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), lines, "each line once, in order, across the segments");
        assertEquals(new Counters(5, 0, 0), job(job.id()).counters());
        assertEquals(1, job(job.id()).chunksDone());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void evenTheFirstLineEndsBeforeTheInvocationDoes() throws Exception {
        FetchOptions tenSeconds = new FetchOptions(10_000, 3, Map.of(), "GET", true, 1024 * 1024, 8);
        Job job = planned(TestJobs.settings().defaults(tenSeconds).concurrency(1).build(),
                List.of(url("/gate/1"), url("/ok/2")), 10);
        long started = System.nanoTime();

        worker.process(task(0), Duration.ofMillis(2_500)); // 0.5 s to work with: /gate/ would hold the first line 10 s

        assertTrue(System.nanoTime() - started < 5_000_000_000L, "the invocation ends in time");
        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(1, rows.size());
        assertEquals("timeout", errorCode(rows.getFirst()));
        assertEquals(1, rows.getFirst().get("attempts").intValue(), "no retry past the invocation's end");
        assertEquals(task(0).continuation(1), queue.chunks.getLast());
    }

    @Test
    void withTimeEnoughTheWholeChunkCommitsInOneGo() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(2).build(), urls("/ok/", 4), 10);
        worker.process(task(0), Duration.ofMinutes(5));
        assertTrue(jobs.committedChunk(job.id(), 0, 0).orElseThrow().complete());
        assertEquals(1, queue.chunks.size(), "no continuation");
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void theReserveIsATenthOfTheBudgetBetweenTwoAndTwentySeconds() {
        assertEquals(Duration.ofSeconds(2), ProcessChunk.reserve(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(6), ProcessChunk.reserve(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(20), ProcessChunk.reserve(Duration.ofSeconds(900)));
    }

    // ---- legacy spellings of non-public addresses ------------------------------------------------------

    /**
     * The worker's server listens on 127.0.0.1, which the fetcher's allow-list names; every other spelling of it, and
     * of the other non-public addresses, ends {@code blocked_target}, whether or not robots.txt is asked first.
     */
    @Test
    void everyOldSpellingOfANonPublicAddressEndsBlockedTargetAndReachesNothing() throws Exception {
        List<String> urls = NonPublicSpellings.urls(server.getAddress().getPort(), "/" + run + "/ok/1");
        List<String> lines = urls.stream().map(TestJobs::quoted).toList();
        FetchOptions polite = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8, true);
        int robotsBefore = robotsFetches.get();

        for (FetchOptions options : List.of(NO_RETRIES, polite)) {
            queue.chunks.clear();
            Job job = planned(TestJobs.settings().defaults(options).concurrency(8).build(), lines, urls.size());
            worker.process(task(0));

            List<JsonNode> rows = rows(job.id(), 0);
            for (JsonNode row : rows) {
                assertEquals("blocked_target", errorCode(row), row.toString());
            }
            assertEquals(urls.size(), rows.size());
        }
        assertEquals(0, hits(), "no spelling reached the site");
        assertEquals(0, robotsFetches.get() - robotsBefore, "nor its robots.txt");
    }

    // ---- respect_robots --------------------------------------------------------------------------------

    @Test
    void withRespectRobotsADisallowedUrlIsAnErrorRowAndNeverFetched() throws Exception {
        FetchOptions polite = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8, true);
        List<String> lines = List.of(url("/ok/1"), url("/secret/2"), url("/ok/3"),
                "{\"url\": " + url("/secret/4") + ", \"respect_robots\": false}");
        int robotsBefore = robotsFetches.get();
        Job job = planned(TestJobs.settings().defaults(polite).concurrency(4).build(), lines, 10);

        worker.process(task(0));

        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(List.of("ok", "error", "ok", "ok"), rows.stream().map(r -> r.get("status").textValue()).toList());
        assertEquals("robots_disallowed", errorCode(rows.get(1)));
        assertEquals(3, hits(), "the disallowed URL was not fetched; the entry that opts out was");
        assertEquals(1, robotsFetches.get() - robotsBefore, "robots.txt once per site per job");
        assertEquals(new Counters(3, 1, 0), job(job.id()).counters());
    }

    // ---- extract ---------------------------------------------------------------------------------------

    @Test
    void extractedFieldsFillTheDataOfOkRowsOnly() throws Exception {
        JsonNode extract = Json.parse("{\"name\": \"string\", \"price\": \"number\", \"title\": {\"css\": \"title\"}}");
        JobSettings settings = TestJobs.settings().defaults(NO_RETRIES).concurrency(2).build();
        settings = new JobSettings(settings.concurrency(), settings.output(), settings.defaults(),
                settings.downloadUrlTtlSeconds(), settings.dryRun(), settings.maxErrors(), settings.regexFilter(),
                settings.maxUrls(), settings.maxLifetimeSeconds(),
                dev.trawl.core.extract.Extraction.parse(extract, "defaults.extract").toJson(), null);
        Job job = planned(settings, List.of(url("/product/1"), url("/fail/2"), url("/ok/3")), 10);

        worker.process(task(0));

        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(Json.parse("{\"name\": \"Blue mug\", \"price\": 12.5, \"title\": \"Blue mug | Shop\"}"),
                rows.get(0).get("data"));
        assertTrue(rows.get(1).get("data").isNull(), "an error row has no data");
        assertEquals(Json.parse("{\"name\": null, \"price\": null, \"title\": null}"), rows.get(2).get("data"),
                "a page without the fields has them null, and stays ok");
        assertEquals("ok", rows.get(2).get("status").textValue());
    }

    // ---- the dead-letter queue -------------------------------------------------------------------------

    @Test
    void aDeadChunkEndsAsChunkFailedRowsWithoutFetchingAndTheJobCanFinalize() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(2).build(), urls("/ok/", 3), 10);

        worker.failChunk(task(0));
        worker.failChunk(task(0)); // the dead-letter queue may deliver twice too

        assertEquals(0, hits());
        List<JsonNode> rows = rows(job.id(), 0);
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(r -> r.get("line").longValue()).toList());
        assertEquals(3, count(rows, "error", "chunk_failed"));
        assertEquals(new Counters(0, 3, 0), job(job.id()).counters());
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests);
    }

    @Test
    void aDeadChunkOfAStoppingJobEndsAsItsStopsSkippedRows() throws Exception {
        Job job = planned(TestJobs.settings().defaults(NO_RETRIES).concurrency(2).build(), urls("/ok/", 2), 10);
        assertTrue(jobs.cancel(TENANT, job.id(), NOW));
        worker.failChunk(task(0));
        assertEquals(2, count(rows(job.id(), 0), "skipped", "cancelled"));
    }

    @Test
    void aDeadContinuationFailsOnlyTheLinesItHadLeft() throws Exception {
        FetchOptions tenSeconds = new FetchOptions(10_000, 0, Map.of(), "GET", true, 1024 * 1024, 8);
        Job job = planned(TestJobs.settings().defaults(tenSeconds).concurrency(1).build(), urls("/ok/", 4), 10);
        worker.process(task(0), Duration.ofMillis(2_300)); // one line, then out of time
        worker.failChunk(queue.chunks.getLast());
        List<ChunkResult> segments = new ArrayList<>();
        jobs.committedChunks(job.id()).forEach(segments::add);
        assertEquals(List.of(1L, 3L), segments.stream().map(ChunkResult::rows).toList());
        assertEquals(new Counters(1, 3, 0), job(job.id()).counters());
        assertEquals(1, job(job.id()).chunksDone());
    }
}
