package dev.trawl.core.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.util.Json;

import java.util.List;
import java.util.TreeMap;

/** The body of {@code GET /v1/jobs/{id}/metrics}. */
public final class MetricsJson {
    private MetricsJson() {
    }

    public static ObjectNode of(Job job, JobMetrics metrics) {
        ObjectNode o = Json.object();
        ObjectNode totals = o.putObject("totals");
        if (job.urlsTotal() == null) {
            totals.putNull("urls_total");
        } else {
            totals.put("urls_total", job.urlsTotal());
        }
        totals.put("urls_done", job.counters().done());
        totals.put("urls_ok", job.counters().ok());
        totals.put("urls_errored", job.counters().errored());
        totals.put("urls_skipped", job.counters().skipped());
        totals.put("urls_filtered", job.urlsFiltered());
        totals.put("bytes_fetched", metrics.bytesFetched());
        totals.put("attempts", metrics.attempts());
        ObjectNode classes = o.putObject("http_status");
        for (String type : List.of("2xx", "3xx", "4xx", "5xx")) {
            classes.put(type, metrics.httpClasses().getOrDefault(type, 0L));
        }
        ObjectNode errors = o.putObject("errors");
        new TreeMap<>(metrics.errors()).forEach(errors::put);
        ObjectNode fetch = o.putObject("fetch_ms");
        Long p50 = metrics.latency().quantile(0.50);
        Long p95 = metrics.latency().quantile(0.95);
        if (p50 == null) {
            fetch.putNull("p50");
            fetch.putNull("p95");
            fetch.putNull("max");
        } else {
            fetch.put("p50", p50);
            fetch.put("p95", p95);
            fetch.put("max", metrics.maxFetchMs() == null ? p95 : Math.max(metrics.maxFetchMs(), p95));
        }
        return o;
    }
}
