package dev.trawl.aws;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.Hashing;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The stored format, spelled out: a deployed table holds items written in it, so a change here is a migration, not
 * a refactoring. The contract suites prove the adapters on DynamoDB Local; this pins what they write.
 */
class DynamoTableTest {
    private static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
    private static final String JOB_ID = "job_01JD3F2D1A77B0E1XYZ0000000";

    private static Map<String, String> strings(Map<String, AttributeValue> item) {
        Map<String, String> out = new TreeMap<>();
        item.forEach((name, value) -> out.put(name, value.s() != null ? value.s()
                : value.n() != null ? "N:" + value.n() : value.bool() != null ? "B:" + value.bool() : "M:" + value.m()));
        return out;
    }

    @Test
    void keys() {
        assertEquals(Map.of("pk", "T#acme", "sk", "J#" + JOB_ID), strings(DynamoTable.jobKey("acme", JOB_ID)));
        assertEquals("T#acme#S#running", DynamoTable.statusPartition("acme", JobStatus.RUNNING).s());
        assertEquals(Map.of("pk", "J#" + JOB_ID, "sk", "C#0000042"), strings(DynamoTable.chunkKey(JOB_ID, 42, 0)));
        assertEquals(Map.of("pk", "J#" + JOB_ID, "sk", "C#0000042+0000037"), strings(DynamoTable.chunkKey(JOB_ID, 42, 37)));
        assertEquals(Map.of("pk", "J#" + JOB_ID, "sk", "D#1778580000000#00003"), strings(DynamoTable.deliveryKey(JOB_ID,
                new WebhookDelivery("evt_1", "job.completed", 3, T0, 200, 5, null))));
        assertEquals(Map.of("pk", "I#acme#" + Hashing.sha256Hex("key-1"), "sk", "I"),
                strings(DynamoTable.idempotencyKey("acme", "key-1")));
        assertEquals(Map.of("pk", "TU#acme", "sk", "U#upl_1"), strings(DynamoTable.uploadKey("acme", "upl_1")));
        assertEquals(Map.of("pk", "K#abc", "sk", "K"), strings(DynamoTable.apiKey("abc")));
        assertEquals("1778580000000#", DynamoTable.deadlinesBefore(T0).s());
        assertEquals("J#" + JOB_ID, DynamoTable.jobPartition(JOB_ID).s());
        assertEquals(Map.of("pk", "TN#acme", "sk", "SETTINGS"), strings(DynamoTable.tenantSettingsKey("acme")));
        assertEquals(Map.of("pk", "TN#acme", "sk", "USAGE"), strings(DynamoTable.tenantUsageKey("acme")));
        assertEquals(Map.of("pk", "RL#acme", "sk", "RL"), strings(DynamoTable.requestBucketKey("acme")));
    }

    @Test
    void aJobStoredFailedAtOnceKeepsItsFailureAndEnd() {
        Job accepted = Job.accepted(JOB_ID, "acme", "drop.csv", T0, JobInput.inbox("inbox/acme/drop.csv"),
                JobSettings.DEFAULTS, null);
        Job failed = new Job(JOB_ID, "acme", "drop.csv", JobStatus.FAILED, T0, null, T0, T0, null, Counters.ZERO, 0,
                accepted.input(), accepted.settings(), null, PhaseState.SKIPPED, null, PhaseState.SKIPPED, 0,
                PhaseState.SKIPPED, null, new Failure("active_jobs_limit", "full"), null, null);
        Map<String, String> item = strings(DynamoTable.newJobItem(failed));
        assertEquals("active_jobs_limit", item.get("failure_code"));
        assertEquals(T0.toString(), item.get("completed_at"));
        assertEquals(failed, DynamoTable.toJob(DynamoTable.newJobItem(failed)));
    }

    @Test
    void aNewJobsItem() {
        Job job = Job.accepted(JOB_ID, "acme", "nightly", T0, JobInput.inline("in/" + JOB_ID), JobSettings.DEFAULTS, null);
        Map<String, String> item = strings(DynamoTable.newJobItem(job));
        assertEquals("T#acme#S#queued", item.get("status_pk"));
        assertEquals(JOB_ID, item.get("status_sk"));
        assertEquals("A#" + Math.floorMod(JOB_ID.hashCode(), 8), item.get("active_pk"));
        assertEquals(String.format("%013d#%s", job.deadline().toEpochMilli(), JOB_ID), item.get("active_sk"));
        assertEquals("queued", item.get("status"));
        assertEquals("pending", item.get("plan_state"));
        assertEquals("N:0", item.get("urls_done"));
        assertEquals("M:{}", item.get("err"));
        assertEquals(Set.of("pk", "sk", "id", "tenant", "name", "status", "created_at", "updated_at",
                "urls_done", "urls_ok", "urls_errored", "urls_skipped", "urls_filtered", "chunks_done", "bytes_fetched",
                "attempts", "lat", "err", "input_type", "input_key", "input_format", "settings", "plan_state", "fetch_state",
                "finalize_state", "status_pk", "status_sk", "active_pk", "active_sk"), item.keySet());
        assertEquals(job, DynamoTable.toJob(DynamoTable.newJobItem(job)));
        Job ended = new Job(JOB_ID, "acme", null, JobStatus.COMPLETED, T0, null, null, T0, null, Counters.ZERO, 0,
                job.input(), job.settings(), null, job.planState(), null, job.fetchState(), 0, job.finalizeState(), null,
                null, null, null);
        assertFalse(DynamoTable.newJobItem(ended).containsKey("active_pk"), "an ended job is not in the deadline index");
    }

    @Test
    void aChunkSumsUpdate() {
        ChunkResult result = new ChunkResult(3, 10, 5, "parts/p3", new Counters(4, 1, 0),
                new ChunkStats(Map.of("2xx", 4L), Map.of("timeout", 1L), 100, 6, Map.of(7, 4L), 90), true);
        DynamoTable.Expression sums = DynamoTable.chunkSums(result, T0);
        assertEquals("ADD urls_ok :ok, urls_errored :errored, urls_skipped :skipped, urls_done :done, chunks_done :one, "
                + "bytes_fetched :bytes, attempts :attempts, http_2xx :h2xx SET updated_at = :now, "
                + "err.#e0 = if_not_exists(err.#e0, :zero) + :e0, lat.#l0 = if_not_exists(lat.#l0, :zero) + :l0", sums.update());
        assertEquals(Map.of("#e0", "timeout", "#l0", "b7"), sums.names());
        Map<String, String> chunk = new TreeMap<>(Map.of("pk", "J#" + JOB_ID, "sk", "C#0000003+0000010", "chunk", "N:3",
                "start", "N:10", "complete", "B:true", "rows", "N:5", "part_key", "parts/p3", "ok", "N:4", "errored", "N:1",
                "skipped", "N:0"));
        chunk.put("committed_at", "2026-05-12T10:00:00Z");
        assertEquals(chunk, strings(DynamoTable.chunkItem(JOB_ID, result, T0)));
    }

    @Test
    void aNewUploadsItem() {
        Upload upload = Upload.pending("upl_1", "acme", "urls.csv", T0, 2048L);
        assertEquals(Map.of("pk", "TU#acme", "sk", "U#upl_1", "id", "upl_1", "tenant", "acme", "filename", "urls.csv",
                "status", "pending", "created_at", "2026-05-12T10:00:00Z", "declared_bytes", "N:2048"),
                strings(DynamoTable.newUploadItem(upload)));
        assertEquals(upload, DynamoTable.toUpload(DynamoTable.newUploadItem(upload)));
    }
}
