package dev.trawl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.local.Api;
import dev.trawl.local.LatencyProfile;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.SharedRuntimeExtension;
import dev.trawl.local.TestSite;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One upload job end to end on the local stack, against a site on loopback, at one AWS latency: the URLs' file PUT to
 * a signed upload link, the job created from it, planned, fetched and finalized by the template's functions through
 * their queues, and its result file read back (every row present, in input order). Prints one line of figures.
 *
 * <p>Usage: {@code JobBench none|realistic URLS CONCURRENCY}
 */
public final class JobBench {
    private static final String KEY = "bench-key";

    private JobBench() {
    }

    public static void main(String[] args) throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        LatencyProfile profile = LatencyProfile.named(args[0]);
        int urls = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        try (TestSite site = new TestSite();
             LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(SharedRuntimeExtension.template(), 0,
                     Map.of(KEY, "bench"), site.hostsAndPorts(), Map.of(), true).withAwsLatency(profile))) {
            Api api = new Api(runtime.apiUrl(), KEY);
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= urls; i++) {
                lines.append(site.url(1 + i % TestSite.HOSTS, "/page/" + i)).append('\n');
            }
            byte[] file = lines.toString().getBytes(StandardCharsets.UTF_8);
            long started = System.nanoTime();
            String uploadId = UploadJobs.upload(api, HttpRequest.BodyPublishers.ofByteArray(file), file.length);
            long uploaded = System.nanoTime();
            String jobId = UploadJobs.createJob(api, uploadId, concurrency, Json.object());
            JsonNode job = api.awaitTerminal(jobId, Duration.ofMinutes(60));
            long ended = System.nanoTime();
            UploadJobs.require(job.get("status").asText().equals("completed"), "job: " + job);
            UploadJobs.require(job.get("urls_ok").asInt() == urls, "urls_ok: " + job);

            List<JsonNode> rows = Api.download(job.get("download_url").asText());
            UploadJobs.require(rows.size() == urls, rows.size() + " rows of " + urls);
            for (int i = 0; i < urls; i++) {
                UploadJobs.require(rows.get(i).get("url").asText().endsWith("/page/" + (i + 1)), "row " + (i + 1) + " out of order");
            }

            Instant createdAt = Instant.parse(job.get("created_at").asText());
            Instant startedAt = Instant.parse(job.get("started_at").asText());
            Instant completedAt = Instant.parse(job.get("completed_at").asText());
            double jobSeconds = (ended - uploaded) / 1e9;
            System.out.printf("aws_latency=%s urls=%d concurrency=%d upload_s=%.1f created_to_started_s=%.1f "
                            + "started_to_completed_s=%.1f job_s=%.1f urls_per_s=%.0f sdk_attempts=%d latency_added_s=%.1f rows_in_order=%d%n",
                    profile.name(), urls, concurrency, (uploaded - started) / 1e9,
                    Duration.between(createdAt, startedAt).toMillis() / 1e3,
                    Duration.between(startedAt, completedAt).toMillis() / 1e3, jobSeconds, urls / jobSeconds,
                    runtime.awsLatency().attempts(), runtime.awsLatency().delayed().toMillis() / 1e3, rows.size());
        }
        System.exit(0); // the emulators' non-daemon threads
    }
}
