package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.manage.RemoveJobs;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.output.ResultWriter;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DELETE /v1/jobs/{id}?purge=true} removes a finished job and its files (a 409 while it is active, a 204 for
 * what is not there), and {@code DELETE /v1/jobs?status=} removes every finished job of the given states, the
 * caller's only, page after page.
 */
class RemoveJobsRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** The files a finished job leaves: input, a chunk, a part, and its result. */
    private List<String> filesOf(Job job) {
        List<String> keys = List.of(BucketLayout.input(job.id()), BucketLayout.chunk(job.id(), 0), BucketLayout.part(job.id(), 0, "a1"),
                ResultWriter.partKey(job.tenant(), job.id(), 1, OutputSpec.DEFAULT));
        for (String key : keys) {
            api.blobs.putText(key, "{}\n");
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void purgingATerminalJobRemovesItAndItsFiles(JobStatus status) throws Exception {
        Job job = api.stored(TENANT_A, status, "old");
        List<String> files = filesOf(job);
        api.jobs.commitChunk(TENANT_A, job.id(), new ChunkResult(0, 1, BucketLayout.part(job.id(), 0, "a1"),
                new Counters(1, 0, 0), ChunkStats.NONE), api.clock.instant());
        Job other = api.stored(TENANT_A, JobStatus.COMPLETED, "keep");
        List<String> otherFiles = filesOf(other);
        Job theirs = api.stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        List<String> theirFiles = filesOf(theirs);

        ApiResponse response = api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A);

        assertEquals(204, response.status(), response.body());
        assertEquals("", response.body());
        assertTrue(api.jobs.find(TENANT_A, job.id()).isEmpty(), "the record goes in the request");
        assertError(api.get(job.id(), TENANT_A), 404, "not_found");
        assertEquals(List.of(new JobRef(TENANT_A, job.id())), api.queue.purgeRequests, "the rest is queued");
        for (String key : files) {
            assertNotNull(api.blobs.get(key), key + " left to the purger");
        }

        api.runPurges();

        assertEquals(0, api.jobs.commitCount(job.id()));
        for (String key : files) {
            assertNull(api.blobs.get(key), key + " removed");
        }
        assertTrue(api.blobs.keys("work/" + job.id()).isEmpty());
        assertTrue(api.blobs.keys("results/" + TENANT_A + "/" + job.id()).isEmpty());
        for (String key : otherFiles) {
            assertNotNull(api.blobs.get(key), key + " kept");
        }
        for (String key : theirFiles) {
            assertNotNull(api.blobs.get(key), key + " kept");
        }
        assertTrue(api.jobs.find(TENANT_A, other.id()).isPresent());
        assertTrue(api.jobs.find(TENANT_B, theirs.id()).isPresent());
        assertError(api.get(job.id(), TENANT_A), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED", "RUNNING", "CANCELLING"})
    void purgingAnActiveJobIsA409AndRemovesNothing(JobStatus status) throws Exception {
        Job job = api.stored(TENANT_A, status, "live");
        List<String> files = filesOf(job);

        JsonNode error = assertError(api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A), 409, "job_active");

        assertTrue(error.path("field").isMissingNode());
        assertEquals(job, api.jobs.find(TENANT_A, job.id()).orElseThrow());
        assertTrue(api.queue.purgeRequests.isEmpty());
        for (String key : files) {
            assertNotNull(api.blobs.get(key), key + " kept");
        }
    }

    @Test
    void purgingAJobThatIsNotThereIs204() throws Exception {
        Job theirs = api.stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        List<String> theirFiles = filesOf(theirs);

        assertEquals(204, api.call("DELETE /v1/jobs/{id}", "job_01JD3F2D1A77B0E1XYZ0000000", q("purge", "true"), TENANT_A).status());
        assertEquals(204, api.call("DELETE /v1/jobs/{id}", "not-an-id", q("purge", "true"), TENANT_A).status());
        ApiResponse other = api.call("DELETE /v1/jobs/{id}", theirs.id(), q("purge", "true"), TENANT_A);

        assertEquals(204, other.status(), "another tenant's job answers as a missing one");
        assertTrue(api.queue.purgeRequests.isEmpty(), "nothing queued");
        assertTrue(api.jobs.find(TENANT_B, theirs.id()).isPresent(), "and stays");
        for (String key : theirFiles) {
            assertNotNull(api.blobs.get(key), key + " kept");
        }
    }

    @Test
    void purgingTwiceIs204Twice() throws Exception {
        Job job = api.stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertEquals(204, api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A).status());
        assertEquals(204, api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true"), TENANT_A).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "TRUE", "1", "", "yes"})
    void aPurgeThatIsNotTrueOrFalseIsA400(String purge) throws Exception {
        Job job = api.stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertInvalid(api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", purge), TENANT_A), "purge");
        assertTrue(api.jobs.find(TENANT_A, job.id()).isPresent());
    }

    @Test
    void deleteRefusesOtherQueryParameters() throws Exception {
        Job job = api.stored(TENANT_A, JobStatus.COMPLETED, "old");
        assertInvalid(api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true", "force", "1"), TENANT_A), "force");
        assertInvalid(api.call("DELETE /v1/jobs/{id}", job.id(), q("purge", "true", "purge", "true"), TENANT_A), "purge");
        assertTrue(api.jobs.find(TENANT_A, job.id()).isPresent());
    }

    @Test
    void bulkRemoveNeedsAStatus() throws Exception {
        api.stored(TENANT_A, JobStatus.COMPLETED, "c");
        assertInvalid(api.call("DELETE /v1/jobs", null, q(), TENANT_A), "status");
        assertEquals(1, api.jobs.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"running", "active", "queued", "cancelling", "all", "terminal,running", "completed,queued",
            "active,terminal", "bogus", ""})
    void bulkRemoveOfAnythingButTerminalStatesIsA400(String status) throws Exception {
        api.oneOfEach();
        int before = api.jobs.size();
        assertInvalid(api.call("DELETE /v1/jobs", null, q("status", status), TENANT_A), "status");
        assertEquals(before, api.jobs.size());
    }

    @Test
    void bulkRemoveOfTerminalJobsLeavesActiveOnesAndOtherTenants() throws Exception {
        Map<JobStatus, String> ids = api.oneOfEach();
        Job theirs = api.stored(TENANT_B, JobStatus.COMPLETED, "theirs");
        Map<JobStatus, List<String>> files = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            files.put(status, filesOf(api.jobs.find(TENANT_A, ids.get(status)).orElseThrow()));
        }

        ApiResponse response = api.call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A);

        assertEquals(200, response.status(), response.body());
        assertEquals(Json.parse("{\"deleted\": 3}"), json(response));
        assertEquals(3, api.queue.purgeRequests.size(), "the files of each removed job queued");
        api.runPurges();
        for (JobStatus status : JobStatus.values()) {
            assertEquals(!status.terminal(), api.jobs.find(TENANT_A, ids.get(status)).isPresent(), status.wire());
            for (String key : files.get(status)) {
                assertEquals(!status.terminal(), api.blobs.get(key) != null, key);
            }
        }
        assertTrue(api.jobs.find(TENANT_B, theirs.id()).isPresent());
        assertEquals(Json.parse("{\"deleted\": 0}"), json(api.call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A)));
    }

    @Test
    void bulkRemoveTakesACommaListOrRepeatsOfTerminalStates() throws Exception {
        Map<JobStatus, String> ids = api.oneOfEach();

        assertEquals(Json.parse("{\"deleted\": 2}"),
                json(api.call("DELETE /v1/jobs", null, q("status", "completed", "status", "failed"), TENANT_A)));
        assertTrue(api.jobs.find(TENANT_A, ids.get(JobStatus.CANCELLED)).isPresent());
        assertTrue(api.jobs.find(TENANT_A, ids.get(JobStatus.COMPLETED)).isEmpty());
        assertTrue(api.jobs.find(TENANT_A, ids.get(JobStatus.FAILED)).isEmpty());

        assertEquals(Json.parse("{\"deleted\": 1}"), json(api.call("DELETE /v1/jobs", null, q("status", "cancelled,completed"), TENANT_A)));
        assertEquals(3, api.jobs.all().stream().filter(job -> job.tenant().equals(TENANT_A)).count());
    }

    @Test
    void bulkRemoveGoesThroughEveryPage() throws Exception {
        for (int i = 0; i < 250; i++) {
            api.stored(TENANT_A, i % 2 == 0 ? JobStatus.COMPLETED : JobStatus.FAILED, "j" + i);
        }
        api.stored(TENANT_A, JobStatus.RUNNING, "live");

        ApiResponse response = api.call("DELETE /v1/jobs", null, q("status", "terminal"), TENANT_A);

        assertEquals(Json.parse("{\"deleted\": 250}"), json(response));
        assertEquals(1, api.jobs.size());
    }

    @Test
    void aBulkRemovalOutOfTimeSaysThereIsMoreAndTheNextCallGoesOn() throws Exception {
        for (int i = 0; i < 250; i++) {
            api.stored(TENANT_A, i % 2 == 0 ? JobStatus.COMPLETED : JobStatus.FAILED, "j" + i);
        }
        api.stored(TENANT_A, JobStatus.RUNNING, "live");
        // a clock that moves a second each time it is read: the budget runs out after some ten removals
        Clock ticking = new Clock() {
            private Instant now = api.clock.instant();

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        RemoveJobs removeJobs = new RemoveJobs(api.jobs, api.blobs, api.jobs, api.queue, ticking);

        List<RemoveJobs.Removed> calls = new ArrayList<>();
        do {
            calls.add(removeJobs.removeAll(TENANT_A, StatusFilter.TERMINAL));
            assertTrue(calls.size() < 100, "each call removes some");
        } while (calls.getLast().more());

        assertTrue(calls.size() > 5, calls.size() + " calls");
        assertTrue(calls.getFirst().deleted() > 0 && calls.getFirst().deleted() < 20, calls.getFirst().toString());
        assertEquals(250, calls.stream().mapToLong(RemoveJobs.Removed::deleted).sum());
        assertEquals(1, api.jobs.size(), "only the live one left");
        assertEquals(250, api.queue.purgeRequests.size());
    }

}
