package dev.trawl.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobJsonTest {
    /** The job object's fields, as API.md lists them. */
    private static final Set<String> CONTRACT_FIELDS = Set.of("id", "name", "status", "created_at", "started_at",
            "completed_at", "updated_at", "urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped",
            "urls_filtered", "percent_complete", "eta_s", "concurrency", "input", "output", "phases", "retry_of",
            "dry_run", "failure", "download_url", "download_url_expires_at", "result_parts");
    private static final String ID = "job_01JD3F2D1A77B0E1XYZ0000000";
    private static final Instant CREATED = Instant.parse("2026-05-12T10:00:00.123456789Z");
    private static final Instant STARTED = Instant.parse("2026-05-12T10:00:02Z");
    private static final Instant UPDATED = Instant.parse("2026-05-12T10:05:00.5Z");
    private static final Instant COMPLETED = Instant.parse("2026-05-12T11:00:00.001Z");

    private static Job accepted() {
        return Job.accepted(ID, "tenant-secret-a", "nightly-catalog", CREATED, 32, "inline", "work/" + ID + "/input.ndjson",
                new OutputSpec("ndjson", true), FetchOptions.DEFAULTS, 86_400);
    }

    private static Job running(long total, Counters counters) {
        return new Job(ID, "tenant-secret-a", "nightly-catalog", JobStatus.RUNNING, CREATED, STARTED, null, UPDATED,
                total, counters, 0, 32, "inline", "work/" + ID + "/input.ndjson", new OutputSpec("ndjson", true),
                FetchOptions.DEFAULTS, PhaseState.DONE, 257, PhaseState.RUNNING, 96, PhaseState.PENDING, 86_400, null, null);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyContractFieldIsThereAndNothingElse() {
        assertEquals(CONTRACT_FIELDS, names(JobJson.of(accepted())));
        assertEquals(CONTRACT_FIELDS, names(JobJson.of(running(100, new Counters(1, 2, 3)))));
    }

    @Test
    void aJobJustAcceptedHasNullsWhereNothingIsKnownYet() {
        ObjectNode o = JobJson.of(accepted());

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
        Job job = Job.accepted(ID, "t", null, CREATED, 16, "inline", "k", OutputSpec.DEFAULT, FetchOptions.DEFAULTS, 60);
        ObjectNode o = JobJson.of(job);
        assertTrue(o.has("name"));
        assertTrue(o.get("name").isNull());
        assertFalse(o.get("output").get("gzip").booleanValue());
    }

    @Test
    void aRunningJobShowsItsCountsPhasesAndProgress() {
        ObjectNode o = JobJson.of(running(128_400, new Counters(47_905, 312, 0)));

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
        double percent = JobJson.of(running(total, new Counters(ok, errored, skipped))).get("percent_complete").doubleValue();
        double exact = (double) (ok + errored + skipped) / total;
        assertTrue(percent <= exact && exact - percent < 0.0001, percent + " for " + exact);
    }

    @Test
    void aRunningJobOneUrlShortOfTheEndIsNotShownAsDone() {
        assertEquals(0.9999, JobJson.of(running(100_000, new Counters(99_999, 0, 0))).get("percent_complete").doubleValue());
    }

    @Test
    void aCompletedJobHasItsResult() {
        Instant expires = Instant.parse("2026-05-13T11:00:00Z");
        List<ResultPart> parts = List.of(
                new ResultPart("results/t/" + ID + "/result.ndjson.gz", "https://blobs.test/part-1?sig=a", expires, 2048, 10, "ab12"),
                new ResultPart("results/t/" + ID + "/result-2.ndjson.gz", "https://blobs.test/part-2?sig=b", expires, 1024, 5, "cd34"));
        Job job = new Job(ID, "tenant-secret-a", "n", JobStatus.COMPLETED, CREATED, STARTED, COMPLETED, COMPLETED, 15L,
                new Counters(14, 1, 0), 0, 16, "inline", "work/" + ID + "/input.ndjson", OutputSpec.DEFAULT,
                FetchOptions.DEFAULTS, PhaseState.DONE, 1, PhaseState.DONE, 1, PhaseState.DONE, 86_400, null, parts);

        ObjectNode o = JobJson.of(job);

        assertEquals("completed", o.get("status").textValue());
        assertEquals("2026-05-12T11:00:00.001Z", o.get("completed_at").textValue());
        assertEquals(1.0, o.get("percent_complete").doubleValue());
        assertEquals("https://blobs.test/part-1?sig=a", o.get("download_url").textValue());
        assertEquals("2026-05-13T11:00:00Z", o.get("download_url_expires_at").textValue());
        JsonNode resultParts = o.get("result_parts");
        assertEquals(2, resultParts.size());
        assertEquals("https://blobs.test/part-1?sig=a", resultParts.get(0).get("url").textValue());
        assertEquals(2048, resultParts.get(0).get("bytes").longValue());
        assertEquals(10, resultParts.get(0).get("rows").longValue());
        assertEquals("https://blobs.test/part-2?sig=b", resultParts.get(1).get("url").textValue());
        assertEquals(1024, resultParts.get(1).get("bytes").longValue());
        assertEquals(5, resultParts.get(1).get("rows").longValue());
        assertTrue(o.get("failure").isNull());
        // the storage keys stay internal
        assertFalse(Json.write(o).contains("results/t/"), Json.write(o));
    }

    @Test
    void aFailedJobShowsItsFailure() {
        Job job = new Job(ID, "t", "n", JobStatus.FAILED, CREATED, STARTED, COMPLETED, COMPLETED, null, Counters.ZERO, 0,
                16, "inline", "k", OutputSpec.DEFAULT, FetchOptions.DEFAULTS, PhaseState.FAILED, null, PhaseState.SKIPPED, 0,
                PhaseState.SKIPPED, 86_400, new Failure("too_many_urls", "more than 1,000,000 URLs"), List.of());

        ObjectNode o = JobJson.of(job);

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
                0, 16, "inline", "k", OutputSpec.DEFAULT, FetchOptions.DEFAULTS, PhaseState.PENDING, null, PhaseState.PENDING,
                0, PhaseState.PENDING, 60, null, null);
        String wire = JobJson.of(job).get("status").textValue();
        assertTrue(Set.of("queued", "running", "cancelling", "cancelled", "completed", "failed").contains(wire), wire);
        assertEquals(status, JobStatus.fromWire(wire));
    }

    @Test
    void internalFieldsDoNotLeak() {
        String text = Json.write(JobJson.of(running(10, new Counters(1, 0, 0))));
        assertFalse(text.contains("tenant-secret-a"), text);
        assertFalse(text.contains("input.ndjson"), text);
        assertFalse(text.contains("timeout"), text);
    }
}
