package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.metrics.LatencyHistogram;
import dev.trawl.core.row.FetchOutcome;
import dev.trawl.core.row.ResultRow;
import dev.trawl.core.row.RowStatus;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;

import static dev.trawl.core.http.ApiFixture.NOW;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.iterable;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/jobs/{id}/metrics}: totals, HTTP status classes, error codes and fetch latencies summed over the
 * committed chunks, empty before any; another tenant's or an unknown job is a 404.
 */
class MetricsRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** A fetched row; an {@code error} code makes it an errored one. */
    private static ResultRow row(long line, RowStatus status, Integer http, long bytes, long elapsedMs, int attempts, String error) {
        return new ResultRow(line, "https://example.com/" + line, new FetchOutcome(status, http, null, null, bytes, elapsedMs,
                attempts, NOW, error, error == null ? null : "because"), null);
    }

    @Test
    void metricsSumTheCommittedChunks() throws Exception {
        Job job = JobBuilder.from(api.stored(TENANT_A, JobStatus.RUNNING, "m")).urlsTotal(9L).chunksTotal(2).build();
        api.jobs.put(job);
        List<ResultRow> chunk0 = List.of(
                row(1, RowStatus.OK, 200, 1000, 40, 1, null),
                row(2, RowStatus.OK, 204, 0, 50, 2, null),
                row(3, RowStatus.ERROR, 404, 10, 60, 1, "http_error"),
                row(4, RowStatus.ERROR, null, 0, 30_000, 3, "timeout"),
                row(5, RowStatus.ERROR, null, 0, 0, 0, "invalid_url"));
        List<ResultRow> chunk1 = List.of(
                row(6, RowStatus.ERROR, 503, 20, 70, 3, "http_error"),
                row(7, RowStatus.OK, 200, 500, 45, 1, null),
                row(8, RowStatus.SKIPPED, null, 0, 0, 0, "cancelled"),
                row(9, RowStatus.ERROR, 301, 0, 80, 1, "too_many_redirects"));
        int c = 0;
        for (List<ResultRow> rows : List.of(chunk0, chunk1)) {
            Counters counters = Counters.ZERO;
            for (ResultRow r : rows) {
                counters = counters.with(r.status());
            }
            api.jobs.commitChunk(TENANT_A, job.id(), new ChunkResult(c, rows.size(), "p" + c, counters, ChunkStats.of(rows)), NOW);
            c++;
        }
        api.jobs.recordMaxFetchMs(TENANT_A, job.id(), 30_000);

        ApiResponse response = api.call("GET /v1/jobs/{id}/metrics", job.id(), q(), TENANT_A);

        assertEquals(200, response.status(), response.body());
        JsonNode body = json(response);
        assertEquals(Set.of("totals", "http_status", "errors", "fetch_ms"), Set.copyOf(iterable(body.fieldNames())));
        assertEquals(Json.parse("""
                {"urls_total": 9, "urls_done": 9, "urls_ok": 3, "urls_errored": 5, "urls_skipped": 1, "urls_filtered": 0,
                 "bytes_fetched": 1530, "attempts": 12}"""), body.get("totals"));
        assertEquals(Json.parse("{\"2xx\": 3, \"3xx\": 1, \"4xx\": 1, \"5xx\": 1}"), body.get("http_status"));
        assertEquals(Json.parse("{\"http_error\": 2, \"timeout\": 1, \"invalid_url\": 1, \"too_many_redirects\": 1}"),
                body.get("errors"));
        LatencyHistogram expected = new LatencyHistogram();
        for (long ms : List.of(40L, 50L, 60L, 30_000L, 70L, 45L, 80L)) {
            expected.record(ms);
        }
        assertEquals(expected.quantile(0.5), body.at("/fetch_ms/p50").longValue());
        assertEquals(expected.quantile(0.95), body.at("/fetch_ms/p95").longValue());
        assertTrue(Math.abs(body.at("/fetch_ms/p50").longValue() - 60) <= 2, body.toString());
        assertEquals(30_000, body.at("/fetch_ms/max").longValue());
    }

    @Test
    void metricsOfAJobWithNothingFetchedYet() throws Exception {
        String id = api.createdId(TENANT_A);

        JsonNode body = json(api.call("GET /v1/jobs/{id}/metrics", id, q(), TENANT_A));

        assertTrue(body.at("/totals/urls_total").isNull());
        assertEquals(0, body.at("/totals/urls_done").longValue());
        assertEquals(0, body.at("/totals/bytes_fetched").longValue());
        assertEquals(Json.parse("{\"2xx\": 0, \"3xx\": 0, \"4xx\": 0, \"5xx\": 0}"), body.get("http_status"));
        assertEquals(Json.object(), body.get("errors"));
        for (String field : List.of("p50", "p95", "max")) {
            assertTrue(body.get("fetch_ms").get(field).isNull(), field);
        }
    }

    @Test
    void metricsOfAnUnknownOrAnotherTenantsJobAreNotFound() throws Exception {
        Job theirs = api.stored(TENANT_B, JobStatus.RUNNING, "theirs");
        assertError(api.call("GET /v1/jobs/{id}/metrics", theirs.id(), q(), TENANT_A), 404, "not_found");
        assertError(api.call("GET /v1/jobs/{id}/metrics", "job_01JD3F2D1A77B0E1XYZ0000000", q(), TENANT_A), 404, "not_found");
        assertInvalid(api.call("GET /v1/jobs/{id}/metrics", theirs.id(), q("window", "1h"), TENANT_B), "window");
    }
}
