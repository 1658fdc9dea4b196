package dev.trawl.core.plan;

import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.ConcurrencyGroups;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanJobTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";

    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private RecordingWorkQueue queue;
    private MutableClock clock;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    private PlanJob planner(int chunkSize) {
        return new PlanJob(jobs, jobs, blobs, queue, clock, chunkSize);
    }

    private Job submit(JobSettings settings, List<String> lines) {
        return TestJobs.submit(jobs, blobs, TENANT, NOW, settings, lines);
    }

    private static List<String> urls(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> TestJobs.quoted("https://example.com/" + i)).toList();
    }

    private Job planned(Job job, int chunkSize) throws Exception {
        clock.advance(Duration.ofSeconds(2));
        planner(chunkSize).plan(new JobRef(job.tenant(), job.id()));
        return jobs.find(job.tenant(), job.id()).orElseThrow();
    }

    /** The entries of every chunk file of the job, in chunk order. */
    private List<List<InputEntry>> chunkFiles(String jobId) {
        Map<String, InMemoryBlobStore.Blob> all = new TreeMap<>();
        for (String key : blobs.keys(BucketLayout.workPrefix(jobId) + "chunks/")) {
            all.put(key, blobs.get(key));
        }
        List<List<InputEntry>> chunks = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, InMemoryBlobStore.Blob> file : all.entrySet()) {
            assertEquals(BucketLayout.chunk(jobId, index++), file.getKey());
            assertEquals("application/x-ndjson", file.getValue().contentType());
            chunks.add(Arrays.stream(file.getValue().text().split("\n")).map(InputEntry::fromLine).toList());
        }
        return chunks;
    }

    private static List<Long> lines(List<List<InputEntry>> chunks) {
        return chunks.stream().flatMap(List::stream).map(InputEntry::line).toList();
    }

    @Test
    void anUploadOfMoreThanAMillionUrlsFailsBeforeAnyFetch() throws Exception {
        String key = "uploads/" + TENANT + "/upl_01JD3F2D1A77B0E1XYZ0000000";
        blobs.put(key, "https://example.com/1\n".getBytes(StandardCharsets.UTF_8), "text/plain");
        Job job = Job.accepted(TestJobs.newId(), TENANT, "big", NOW,
                dev.trawl.core.job.JobInput.upload(key, dev.trawl.core.job.InputFormat.TEXT, "upl_01JD3F2D1A77B0E1XYZ0000000"),
                JobSettings.DEFAULTS, null).withUrlsTotal(1_000_001L);
        jobs.create(job);

        Job failed = planned(job, 100);

        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("too_many_urls", failed.failure().code());
        assertTrue(queue.chunks.isEmpty(), "nothing is fetched");
        assertTrue(blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").isEmpty());
    }

    @Test
    void aJobFailedInPlanningAnnouncesItsEventAndAgainIfItWasLost() throws Exception {
        JobSettings hooked = JobSettings.DEFAULTS.withWebhook(new dev.trawl.core.job.Webhook("https://hooks.example.com/t", "whsec_x"));
        Job job = Job.accepted(TestJobs.newId(), TENANT, "gone", NOW,
                dev.trawl.core.job.JobInput.upload("uploads/" + TENANT + "/missing", dev.trawl.core.job.InputFormat.TEXT,
                        "upl_01JD3F2D1A77B0E1XYZ0000002"), hooked, null);
        jobs.create(job);

        assertEquals(JobStatus.FAILED, planned(job, 10).status());
        assertEquals(List.of(job.id()), queue.webhooks.stream().map(dev.trawl.core.message.WebhookTask::jobId).toList());

        // the plan message comes again (as if the first delivery broke after failing the job): no attempt is
        // recorded, so the event is queued again; once one is, it is not
        planned(job, 10);
        assertEquals(2, queue.webhooks.size());
        jobs.record(TENANT, job.id(), new dev.trawl.core.message.WebhookDelivery("evt_x", "job.failed", 1, NOW, 200, 3, null));
        planned(job, 10);
        assertEquals(2, queue.webhooks.size());
    }

    @Test
    void anUnreadableInputFailsTheJobInsteadOfRetryingForever() throws Exception {
        Job job = Job.accepted(TestJobs.newId(), TENANT, "gone", NOW,
                dev.trawl.core.job.JobInput.upload("uploads/" + TENANT + "/missing", dev.trawl.core.job.InputFormat.TEXT,
                        "upl_01JD3F2D1A77B0E1XYZ0000001"), JobSettings.DEFAULTS, null);
        jobs.create(job);

        Job failed = planned(job, 100);

        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("input_missing", failed.failure().code());
    }

    @Test
    void aJobIsNumberedCutQueuedAndMarkedRunning() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, urls(10));

        Job planned = planned(job, 3);

        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(10L, planned.urlsTotal());
        assertEquals(0, planned.urlsFiltered());
        assertEquals(4, planned.chunksTotal());
        assertEquals(NOW.plusSeconds(2), planned.startedAt());
        assertEquals(PhaseState.DONE, planned.planState());
        assertEquals(PhaseState.RUNNING, planned.fetchState());
        assertEquals(PhaseState.PENDING, planned.finalizeState());

        List<List<InputEntry>> chunks = chunkFiles(job.id());
        assertEquals(List.of(3, 3, 3, 1), chunks.stream().map(List::size).toList());
        assertEquals(LongList.range(1, 10), lines(chunks));
        assertEquals("https://example.com/7", chunks.get(2).get(0).url());

        assertEquals(4, queue.chunks.size());
        for (int i = 0; i < 4; i++) {
            ChunkTask task = byChunk(queue.chunks).get(i);
            assertEquals(new ChunkTask(TENANT, job.id(), i, chunks.get(i).size(), 0, 16), task);
        }
        assertTrue(queue.finalizeRequests.isEmpty());
    }

    @Test
    void entriesKeepTheirOverridesAndMeta() throws Exception {
        String object = "{\"url\":\"https://example.com/b\",\"meta\":{\"sku\":\"B-1\"},\"retries\":0}";
        Job job = submit(JobSettings.DEFAULTS, List.of("\"https://example.com/a\"", object, "\"not a url\""));

        planned(job, 10);

        List<InputEntry> entries = chunkFiles(job.id()).getFirst();
        assertEquals(Json.parse(object), entries.get(1).entry());
        assertEquals("B-1", entries.get(1).meta().get("sku").textValue());
        assertEquals("not a url", entries.get(2).url());
        assertNull(entries.get(0).meta());
    }

    @Test
    void blankLinesAreSkippedAndNotNumbered() throws Exception {
        List<String> input = List.of("", "\"https://example.com/1\"", "   ", "\"https://example.com/2\"", "", "\t",
                "\"https://example.com/3\"", "");
        Job job = submit(JobSettings.DEFAULTS, input);

        Job planned = planned(job, 2);

        assertEquals(3L, planned.urlsTotal());
        assertEquals(0, planned.urlsFiltered(), "blank lines are not filtered URLs");
        List<List<InputEntry>> chunks = chunkFiles(job.id());
        assertEquals(List.of(1L, 2L, 3L), lines(chunks));
        assertEquals(List.of("https://example.com/1", "https://example.com/2", "https://example.com/3"),
                chunks.stream().flatMap(List::stream).map(InputEntry::url).toList());
    }

    @Test
    void regexFilterAndMaxUrlsCountWhatTheyLeaveOut() throws Exception {
        // lines 1-12: the even ones are /keep/, the odd ones /drop/
        List<String> input = IntStream.rangeClosed(1, 12)
                .mapToObj(i -> i % 2 == 0 ? TestJobs.quoted("https://example.com/keep/" + i)
                        : "{\"url\": \"https://example.com/drop/" + i + "\"}")
                .toList();
        Job job = submit(TestJobs.settings().regexFilter("/keep/\\d+$").maxUrls(4).build(), input);

        Job planned = planned(job, 3);

        assertEquals(4L, planned.urlsTotal());
        assertEquals(8, planned.urlsFiltered(), "6 not matching and 2 past max_urls");
        List<List<InputEntry>> chunks = chunkFiles(job.id());
        assertEquals(List.of(2L, 4L, 6L, 8L), lines(chunks), "kept lines keep their input line numbers");
        assertEquals(List.of(3, 1), chunks.stream().map(List::size).toList());
        assertEquals(2, planned.chunksTotal());
    }

    @Test
    void regexFilterAloneCountsTheUnmatched() throws Exception {
        List<String> input = List.of(TestJobs.quoted("https://a.example/x"), TestJobs.quoted("https://b.example/x"),
                "{\"url\": \"https://a.example/y\", \"meta\": {\"n\": 3}}", TestJobs.quoted("not a url"));
        Job planned = planned(submit(TestJobs.settings().regexFilter("^https://a\\.").build(), input), 10);

        assertEquals(2L, planned.urlsTotal());
        assertEquals(2, planned.urlsFiltered());
        assertEquals(List.of(1L, 3L), lines(chunkFiles(planned.id())));
    }

    @Test
    void maxUrlsAloneTakesTheFirstN() throws Exception {
        Job planned = planned(submit(TestJobs.settings().maxUrls(7).build(), urls(10)), 5);

        assertEquals(7L, planned.urlsTotal());
        assertEquals(3, planned.urlsFiltered());
        assertEquals(LongList.range(1, 7), lines(chunkFiles(planned.id())));
    }

    @Test
    void maxUrlsAboveTheCountTakesEverything() throws Exception {
        Job planned = planned(submit(TestJobs.settings().maxUrls(1_000_000).build(), urls(10)), 5);
        assertEquals(10L, planned.urlsTotal());
        assertEquals(0, planned.urlsFiltered());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aUrlThatTheRegexCannotDecideInTimeIsFilteredOut() throws Exception {
        // (.*a){12}$ backtracks for ages on a long URL that does not end in 'a'
        List<String> input = List.of(TestJobs.quoted("https://example.com/" + "a".repeat(40)),
                TestJobs.quoted("https://example.com/" + "a".repeat(40) + "!"),
                TestJobs.quoted("https://example.com/" + "a".repeat(20)));
        Job planned = planned(submit(TestJobs.settings().regexFilter("(.*a){12}$").build(), input), 10);

        assertEquals(2L, planned.urlsTotal());
        assertEquals(1, planned.urlsFiltered());
        assertEquals(List.of(1L, 3L), lines(chunkFiles(planned.id())));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aUrlThatRunsTheRegexOutOfStackIsFilteredOutInsteadOfFailingThePlan() throws Exception {
        List<String> input = List.of(TestJobs.quoted("https://example.com/ab/x"),
                TestJobs.quoted("https://example.com/" + "ab".repeat(50_000) + "/x"),
                TestJobs.quoted("https://example.com/ba/x"));
        Job planned = planned(submit(TestJobs.settings().regexFilter("/(a|b)+/x$").build(), input), 10);

        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(2L, planned.urlsTotal());
        assertEquals(1, planned.urlsFiltered());
        assertEquals(List.of(1L, 3L), lines(chunkFiles(planned.id())));
    }

    @Test
    void aJobWhoseEveryUrlIsFilteredGoesStraightToFinalize() throws Exception {
        Job planned = planned(submit(TestJobs.settings().regexFilter("nothing-matches-this").build(), urls(5)), 2);

        assertEquals(0L, planned.urlsTotal());
        assertEquals(5, planned.urlsFiltered());
        assertEquals(0, planned.chunksTotal());
        assertTrue(queue.chunks.isEmpty());
        assertEquals(List.of(new JobRef(TENANT, planned.id())), queue.finalizeRequests);
        assertEquals(PhaseState.RUNNING, planned.finalizeState());
        assertEquals(PhaseState.DONE, planned.fetchState());
    }

    @ParameterizedTest
    @CsvSource({
            "16,  16",
            "1,   1",
            "32,  32",
            "33,  17:16",
            "100, 25:25:25:25",
            "101, 26:25:25:25",
            "256, 32:32:32:32:32:32:32:32"})
    void concurrencyIsSpreadOverGroupsOfAtMost32(int concurrency, String shares) throws Exception {
        List<Integer> expected = Arrays.stream(shares.split(":")).map(String::strip).map(Integer::valueOf).toList();
        int groups = expected.size();
        Job job = submit(TestJobs.settings().concurrency(concurrency).build(), urls(3 * groups + 1));

        planned(job, 1);

        assertEquals(3 * groups + 1, queue.chunks.size());
        for (ChunkTask task : queue.chunks) {
            assertEquals(task.chunk() % groups, task.group(), "chunk " + task.chunk());
            assertEquals(expected.get(task.group()), task.concurrency(), "share of group " + task.group());
            assertEquals(job.id() + "#" + task.group(), task.groupId());
            assertTrue(task.concurrency() <= ConcurrencyGroups.GROUP_CONCURRENCY);
        }
        Map<Integer, Integer> shareByGroup = queue.chunks.stream()
                .collect(Collectors.toMap(ChunkTask::group, ChunkTask::concurrency, (a, b) -> a, TreeMap::new));
        assertEquals(concurrency, shareByGroup.values().stream().mapToInt(Integer::intValue).sum(),
                "the groups together have the job's concurrency");
    }

    @Test
    void planningAgainSendsTheSameChunksAndKeepsTheCounts() throws Exception {
        Job job = submit(TestJobs.settings().concurrency(64).regexFilter("/[0-8]$").build(), urls(20));
        Job first = planned(job, 4);
        Map<String, String> filesAfterFirst = new TreeMap<>();
        blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").forEach(key -> filesAfterFirst.put(key, blobs.text(key)));
        List<ChunkTask> firstSend = byChunk(queue.chunks);

        Job second = planned(job, 4);

        assertEquals(first, second, "counts and start time recorded once");
        assertEquals(2 * firstSend.size(), queue.chunks.size());
        assertEquals(firstSend, byChunk(queue.chunks.subList(firstSend.size(), queue.chunks.size())));
        Map<String, String> filesAfterSecond = new TreeMap<>();
        blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").forEach(key -> filesAfterSecond.put(key, blobs.text(key)));
        assertEquals(filesAfterFirst, filesAfterSecond);
        assertEquals(firstSend.stream().map(ChunkTask::deduplicationId).toList(),
                byChunk(queue.chunks.subList(firstSend.size(), queue.chunks.size())).stream().map(ChunkTask::deduplicationId).toList());
    }

    @Test
    void planningAgainAfterTheInputChangedKeepsTheChunksTheFirstPlanCut() throws Exception {
        Job job = submit(TestJobs.settings().concurrency(8).build(), urls(10));
        planned(job, 4);
        Map<String, String> filesAfterFirst = new TreeMap<>();
        blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").forEach(key -> filesAfterFirst.put(key, blobs.text(key)));
        List<ChunkTask> firstSend = byChunk(queue.chunks);
        // the input is not what it was (a client's S3 object rewritten): committed segments point into the old cut
        blobs.putText(job.input().key(), "\"https://example.com/other\"\n".repeat(7));

        planned(job, 4);

        Map<String, String> filesAfterSecond = new TreeMap<>();
        blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").forEach(key -> filesAfterSecond.put(key, blobs.text(key)));
        assertEquals(filesAfterFirst, filesAfterSecond, "the chunk files are the first plan's");
        assertEquals(firstSend, byChunk(queue.chunks.subList(firstSend.size(), queue.chunks.size())), "the same messages again");
    }

    @Test
    void aJobCancelledBeforePlanningIsPlannedButStaysCancelling() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, urls(5));
        assertTrue(jobs.cancel(TENANT, job.id(), NOW));

        Job planned = planned(job, 2);

        assertEquals(JobStatus.CANCELLING, planned.status());
        assertEquals(StopReason.CANCELLED, planned.stopReason());
        assertEquals(5L, planned.urlsTotal());
        assertEquals(3, planned.chunksTotal());
        assertEquals(3, queue.chunks.size(), "its workers turn the rows into skipped ones");
    }

    @Test
    void aTerminalOrMissingJobIsNotPlanned() throws Exception {
        Job job = submit(JobSettings.DEFAULTS, urls(5));
        Job cancelled = JobBuilder.from(job).status(JobStatus.CANCELLED).build();
        jobs.put(cancelled);

        planner(2).plan(new JobRef(TENANT, job.id()));
        planner(2).plan(new JobRef(TENANT, "job_01JD3F2D1A77B0E1XYZ0000000"));
        planner(2).plan(new JobRef("tenant-b", job.id()));

        assertEquals(cancelled, jobs.find(TENANT, job.id()).orElseThrow());
        assertTrue(queue.chunks.isEmpty());
        assertTrue(blobs.keys(BucketLayout.workPrefix(job.id()) + "chunks/").isEmpty());
    }

    /** The messages in chunk order: the planner sends several batches at once, so they may arrive in any order. */
    private static List<ChunkTask> byChunk(List<ChunkTask> sent) {
        return sent.stream().sorted(Comparator.comparingInt(ChunkTask::chunk)).toList();
    }

    /** A small helper for lists of consecutive line numbers. */
    private static final class LongList {
        static List<Long> range(long from, long to) {
            List<Long> list = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                list.add(i);
            }
            return list;
        }
    }

    @org.junit.jupiter.api.Test
    void aPerHostLimitIsSharedOutAmongTheGroupsWithoutExceedingIt() {
        for (int limit = 1; limit <= 64; limit++) {
            for (int concurrency = 1; concurrency <= 256; concurrency++) {
                int groups = ConcurrencyGroups.groups(concurrency);
                int sum = 0;
                for (int g = 0; g < groups; g++) {
                    int share = ConcurrencyGroups.perHostShare(limit, groups, g);
                    org.junit.jupiter.api.Assertions.assertTrue(share >= 1);
                    sum += share;
                }
                org.junit.jupiter.api.Assertions.assertEquals(Math.max(limit, groups), sum, limit + " over " + groups);
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(8, ConcurrencyGroups.groups(256));
        org.junit.jupiter.api.Assertions.assertEquals(2, ConcurrencyGroups.perHostShare(8, 7, 0));
        org.junit.jupiter.api.Assertions.assertEquals(1, ConcurrencyGroups.perHostShare(8, 7, 6));
    }
}
