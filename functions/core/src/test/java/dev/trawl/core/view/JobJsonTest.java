package dev.trawl.core.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobJsonTest {
    /** The job object's fields, as openapi.yaml's {@code Job} schema lists them. */
    private static final Set<String> CONTRACT_FIELDS = Set.of("id", "name", "status", "created_at", "started_at",
            "completed_at", "updated_at", "urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped",
            "urls_filtered", "percent_complete", "eta_s", "concurrency", "input", "output", "phases", "retry_of",
            "dry_run", "failure", "download_url", "download_url_expires_at", "result_parts");
    private static final String ID = "job_01JD3F2D1A77B0E1XYZ0000000";
    private static final Instant CREATED = Instant.parse("2026-05-12T10:00:00.123456789Z");
    private static final Instant STARTED = Instant.parse("2026-05-12T10:00:02Z");
    private static final Instant UPDATED = Instant.parse("2026-05-12T10:05:00.5Z");
    private static final Instant COMPLETED = Instant.parse("2026-05-12T11:00:00.001Z");

    private static final JobSettings SETTINGS = TestJobs.settings().concurrency(32).output(new OutputSpec("ndjson", true)).build();
    private static final Instant NOW = Instant.parse("2026-05-12T10:06:00Z");
    /** Download links as the API would make them; their form is DownloadLinksTest's. */
    private static final PartLinks LINKS = (job, index) -> URI.create("https://api.test/v1/results/" + job.id() + "/" + index);

    private static Job accepted() {
        return Job.accepted(ID, "tenant-secret-a", "nightly-catalog", CREATED, JobInput.inline("work/" + ID + "/input.ndjson"),
                SETTINGS, null);
    }

    private static Job running(long total, Counters counters) {
        return running(total, counters, null);
    }

    private static Job running(long total, Counters counters, Job.RateSample rate) {
        return new Job(ID, "tenant-secret-a", "nightly-catalog", JobStatus.RUNNING, CREATED, STARTED, null, UPDATED,
                total, counters, 0, JobInput.inline("work/" + ID + "/input.ndjson"), SETTINGS, null,
                PhaseState.DONE, 257, PhaseState.RUNNING, 96, PhaseState.PENDING, null, null, null, rate);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyContractFieldIsThereAndNothingElse() {
        assertEquals(CONTRACT_FIELDS, names(JobJson.of(accepted(), NOW, LINKS)));
        assertEquals(CONTRACT_FIELDS, names(JobJson.of(running(100, new Counters(1, 2, 3)), NOW, LINKS)));
    }

    @Test
    void aJobJustAcceptedHasNullsWhereNothingIsKnownYet() {
        ObjectNode o = JobJson.of(accepted(), NOW, LINKS);

        assertEquals(ID, o.get("id").textValue());
        assertEquals("nightly-catalog", o.get("name").textValue());
        assertEquals("queued", o.get("status").textValue());
        assertEquals("2026-05-12T10:00:00.123Z", o.get("created_at").textValue());
        assertEquals("2026-05-12T10:00:00.123Z", o.get("updated_at").textValue());
        for (String field : List.of("started_at", "completed_at", "urls_total", "eta_s", "retry_of", "failure",
                "download_url", "download_url_expires_at", "result_parts")) {
            assertTrue(o.has(field), field + " is present");
            assertTrue(o.get(field).isNull(), field + " is null, not " + o.get(field));
        }
        for (String field : List.of("urls_done", "urls_ok", "urls_errored", "urls_skipped", "urls_filtered")) {
            assertTrue(o.get(field).isIntegralNumber(), field);
            assertEquals(0, o.get(field).longValue(), field);
        }
        assertEquals(0.0, o.get("percent_complete").doubleValue());
        assertEquals(32, o.get("concurrency").intValue());
        assertEquals("inline", o.get("input").get("type").textValue());
        assertEquals("ndjson", o.get("output").get("format").textValue());
        assertTrue(o.get("output").get("gzip").booleanValue());
        assertFalse(o.get("dry_run").booleanValue());
        assertTrue(o.get("dry_run").isBoolean());

        JsonNode phases = o.get("phases");
        assertEquals(Set.of("plan", "fetch", "finalize"), names(phases));
        assertEquals("pending", phases.get("plan").get("state").textValue());
        assertTrue(phases.get("plan").get("chunks_total").isNull());
        assertEquals("pending", phases.get("fetch").get("state").textValue());
        assertEquals(0, phases.get("fetch").get("chunks_done").intValue());
        assertEquals("pending", phases.get("finalize").get("state").textValue());
    }

    @Test
    void aNameNotGivenIsNull() {
        Job job = Job.accepted(ID, "t", null, CREATED, JobInput.inline("k"), JobSettings.DEFAULTS, null);
        ObjectNode o = JobJson.of(job, NOW, LINKS);
        assertTrue(o.has("name"));
        assertTrue(o.get("name").isNull());
        assertFalse(o.get("output").get("gzip").booleanValue());
    }

    @Test
    void aRunningJobShowsItsCountsPhasesAndProgress() {
        ObjectNode o = JobJson.of(running(128_400, new Counters(47_905, 312, 0)), NOW, LINKS);

        assertEquals("running", o.get("status").textValue());
        assertEquals("2026-05-12T10:00:02Z", o.get("started_at").textValue());
        assertEquals("2026-05-12T10:05:00.500Z", o.get("updated_at").textValue());
        assertTrue(o.get("completed_at").isNull());
        assertEquals(128_400, o.get("urls_total").longValue());
        assertEquals(48_217, o.get("urls_done").longValue());
        assertEquals(47_905, o.get("urls_ok").longValue());
        assertEquals(312, o.get("urls_errored").longValue());
        assertEquals(0, o.get("urls_skipped").longValue());
        assertEquals(o.get("urls_done").longValue(),
                o.get("urls_ok").longValue() + o.get("urls_errored").longValue() + o.get("urls_skipped").longValue());
        assertEquals(0.3755, o.get("percent_complete").doubleValue(), 1e-9);
        assertEquals("done", o.at("/phases/plan/state").textValue());
        assertEquals(257, o.at("/phases/plan/chunks_total").intValue());
        assertEquals("running", o.at("/phases/fetch/state").textValue());
        assertEquals(96, o.at("/phases/fetch/chunks_done").intValue());
        assertEquals("pending", o.at("/phases/finalize/state").textValue());
    }

    @ParameterizedTest
    @CsvSource({"1, 0, 0, 4", "1, 1, 1, 4", "333, 0, 0, 1000", "0, 0, 0, 10", "5, 3, 2, 10", "1, 0, 0, 3"})
    void percentCompleteIsDoneOverTotal(long ok, long errored, long skipped, long total) {
        double percent = JobJson.of(running(total, new Counters(ok, errored, skipped)), NOW, LINKS).get("percent_complete").doubleValue();
        double exact = (double) (ok + errored + skipped) / total;
        assertTrue(percent <= exact && exact - percent < 0.0001, percent + " for " + exact);
    }

    @Test
    void aRunningJobOneUrlShortOfTheEndIsNotShownAsDone() {
        assertEquals(0.9999, JobJson.of(running(100_000, new Counters(99_999, 0, 0)), NOW, LINKS).get("percent_complete").doubleValue());
    }

    @Test
    void aCompletedJobHasItsResult() {
        List<ResultPart> parts = List.of(
                new ResultPart("results/t/" + ID + "/result.ndjson.gz", 2048, 10, "ab12"),
                new ResultPart("results/t/" + ID + "/result-2.ndjson.gz", 1024, 5, "cd34"));
        Job job = new Job(ID, "tenant-secret-a", "n", JobStatus.COMPLETED, CREATED, STARTED, COMPLETED, COMPLETED, 15L,
                new Counters(14, 1, 0), 0, JobInput.inline("work/" + ID + "/input.ndjson"), JobSettings.DEFAULTS, null,
                PhaseState.DONE, 1, PhaseState.DONE, 1, PhaseState.DONE, null, null, parts, null);

        ObjectNode o = JobJson.of(job, NOW, LINKS);

        assertEquals("completed", o.get("status").textValue());
        assertEquals("2026-05-12T11:00:00.001Z", o.get("completed_at").textValue());
        assertEquals(1.0, o.get("percent_complete").doubleValue());
        assertEquals("https://api.test/v1/results/" + ID + "/0", o.get("download_url").textValue());
        assertEquals("2026-05-13T11:00:00.001Z", o.get("download_url_expires_at").textValue(),
                "completed_at + download_url_ttl_s (a day by default)");
        JsonNode resultParts = o.get("result_parts");
        assertEquals(2, resultParts.size());
        assertEquals("https://api.test/v1/results/" + ID + "/0", resultParts.get(0).get("url").textValue());
        assertEquals(2048, resultParts.get(0).get("bytes").longValue());
        assertEquals(10, resultParts.get(0).get("rows").longValue());
        assertEquals("https://api.test/v1/results/" + ID + "/1", resultParts.get(1).get("url").textValue());
        assertEquals(1024, resultParts.get(1).get("bytes").longValue());
        assertEquals(5, resultParts.get(1).get("rows").longValue());
        assertTrue(o.get("failure").isNull());
        // the storage keys stay internal
        assertFalse(Json.write(o).contains("results/t/"), Json.write(o));
    }

    @Test
    void aFailedJobShowsItsFailure() {
        Job job = new Job(ID, "t", "n", JobStatus.FAILED, CREATED, STARTED, COMPLETED, COMPLETED, null, Counters.ZERO, 0,
                JobInput.inline("k"), JobSettings.DEFAULTS, null, PhaseState.FAILED, null, PhaseState.SKIPPED, 0,
                PhaseState.SKIPPED, null, new Failure("too_many_urls", "more than 1,000,000 URLs"), List.of(), null);

        ObjectNode o = JobJson.of(job, NOW, LINKS);

        assertEquals("failed", o.get("status").textValue());
        assertEquals(Map.of("code", "too_many_urls", "message", "more than 1,000,000 URLs"),
                Json.MAPPER.convertValue(o.get("failure"), Map.class));
        assertEquals("failed", o.at("/phases/plan/state").textValue());
        assertEquals("skipped", o.at("/phases/fetch/state").textValue());
        assertTrue(o.get("download_url").isNull());
        assertTrue(o.get("result_parts").isNull());
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void statusesUseTheContractsWords(JobStatus status) {
        Job a = accepted();
        Job job = new Job(a.id(), a.tenant(), a.name(), status, a.createdAt(), null, null, a.updatedAt(), null, Counters.ZERO,
                0, JobInput.inline("k"), JobSettings.DEFAULTS, null, PhaseState.PENDING, null, PhaseState.PENDING,
                0, PhaseState.PENDING, null, null, null, null);
        String wire = JobJson.of(job, NOW, LINKS).get("status").textValue();
        assertTrue(Set.of("queued", "running", "cancelling", "cancelled", "completed", "failed").contains(wire), wire);
        assertEquals(status, JobStatus.fromWire(wire));
    }

    @Test
    void internalFieldsDoNotLeak() {
        String text = Json.write(JobJson.of(running(10, new Counters(1, 0, 0)), NOW, LINKS));
        assertFalse(text.contains("tenant-secret-a"), text);
        assertFalse(text.contains("input.ndjson"), text);
        assertFalse(text.contains("timeout"), text);
    }

    // ---- eta_s, retry_of, dry_run --------------------------------------------------------------------------

    @Test
    void etaIsNullWithoutARateSample() {
        ObjectNode o = JobJson.of(running(1000, new Counters(10, 0, 0)), NOW, LINKS);
        assertTrue(o.has("eta_s"));
        assertTrue(o.get("eta_s").isNull());
    }

    @Test
    void etaFollowsTheRateBetweenTheLastTwoSamples() {
        // 300 URLs in 60 s: 5 a second; 1000 - 450 = 550 left: 110 s
        Job.RateSample rate = new Job.RateSample(STARTED.plusSeconds(60), 100, STARTED.plusSeconds(120), 400);
        ObjectNode o = JobJson.of(running(1000, new Counters(440, 10, 0), rate), NOW, LINKS);
        assertTrue(o.get("eta_s").isIntegralNumber(), o.toString());
        assertEquals(110, o.get("eta_s").longValue());
    }

    @Test
    void withOneSampleTheRateCountsFromTheStart() {
        // 100 URLs in the 20 s since started_at: 5 a second; 900 left: 180 s
        Job.RateSample rate = new Job.RateSample(null, 0, STARTED.plusSeconds(20), 100);
        assertEquals(180, JobJson.of(running(1000, new Counters(100, 0, 0), rate), NOW, LINKS).get("eta_s").longValue());
    }

    @Test
    void etaRoundsUpToAWholeSecond() {
        // 3 URLs in 2 s: 1.5 a second; 10 left: 6.67 s
        Job.RateSample rate = new Job.RateSample(STARTED, 0, STARTED.plusSeconds(2), 3);
        assertEquals(7, JobJson.of(running(13, new Counters(3, 0, 0), rate), NOW, LINKS).get("eta_s").longValue());
    }

    @Test
    void etaIsZeroWhenEveryUrlIsDoneButTheJobStillRuns() {
        Job.RateSample rate = new Job.RateSample(STARTED, 0, STARTED.plusSeconds(10), 10);
        assertEquals(0, JobJson.of(running(10, new Counters(9, 1, 0), rate), NOW, LINKS).get("eta_s").longValue());
    }

    @Test
    void etaIsNullWhenNothingProgressedBetweenTheSamples() {
        Job.RateSample still = new Job.RateSample(STARTED.plusSeconds(60), 400, STARTED.plusSeconds(120), 400);
        assertTrue(JobJson.of(running(1000, new Counters(400, 0, 0), still), NOW, LINKS).get("eta_s").isNull());
        Job.RateSample sameInstant = new Job.RateSample(STARTED.plusSeconds(60), 100, STARTED.plusSeconds(60), 400);
        assertTrue(JobJson.of(running(1000, new Counters(400, 0, 0), sameInstant), NOW, LINKS).get("eta_s").isNull());
    }

    @Test
    void etaIsNullWhenTheTotalIsNotCountedYet() {
        Job.RateSample rate = new Job.RateSample(STARTED, 0, STARTED.plusSeconds(10), 10);
        Job job = JobBuilder.from(running(1000, new Counters(10, 0, 0), rate)).urlsTotal(null).build();
        assertTrue(JobJson.of(job, NOW, LINKS).get("eta_s").isNull());
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "CANCELLING", "CANCELLED", "COMPLETED", "FAILED"})
    void etaIsNullUnlessTheJobRuns(JobStatus status) {
        Job.RateSample rate = new Job.RateSample(STARTED.plusSeconds(60), 100, STARTED.plusSeconds(120), 400);
        Job job = JobBuilder.from(running(1000, new Counters(400, 0, 0), rate)).status(status).build();
        assertTrue(JobJson.of(job, NOW, LINKS).get("eta_s").isNull(), status + ": " + JobJson.of(job, NOW, LINKS).get("eta_s"));
    }

    @Test
    void retryOfAndDryRunAreShown() {
        String original = "job_01JD3F2D1A77B0E1XYZ1111111";
        Job job = JobBuilder.from(accepted()).retryOf(original)
                .settings(TestJobs.settings().dryRun(true).maxErrors(MaxErrors.ofPercent(5)).regexFilter("x").build()).build();

        ObjectNode o = JobJson.of(job, NOW, LINKS);

        assertEquals(original, o.get("retry_of").textValue());
        assertTrue(o.get("dry_run").booleanValue());
        assertEquals(CONTRACT_FIELDS, names(o), "the other settings stay out of the job object");
        assertFalse(JobJson.of(accepted(), NOW, LINKS).get("dry_run").booleanValue());
        assertTrue(JobJson.of(accepted(), NOW, LINKS).get("retry_of").isNull());
    }

    @Test
    void aCancelledJobShowsItsPartialResultAndFailure() {
        JobBuilder cancelled = JobBuilder.from(running(10, new Counters(3, 1, 6))).status(JobStatus.CANCELLED)
                .failure(new Failure("lifetime_exceeded", "ran too long"))
                .resultParts(List.of(new ResultPart("k", 100, 10, "ff")));
        cancelled.completedAt = COMPLETED;
        Job job = cancelled.build();

        ObjectNode o = JobJson.of(job, NOW, LINKS);

        assertEquals("cancelled", o.get("status").textValue());
        assertEquals("lifetime_exceeded", o.at("/failure/code").textValue());
        assertEquals("https://api.test/v1/results/" + ID + "/0", o.get("download_url").textValue());
        assertEquals("2026-05-13T11:00:00.001Z", o.get("download_url_expires_at").textValue());
        assertEquals(1.0, o.get("percent_complete").doubleValue());
    }
}
