package dev.trawl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.local.Api;
import dev.trawl.local.LatencyProfile;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.SharedRuntimeExtension;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A large upload job end to end on the local stack, as {@link JobBench} runs one, with what a million URLs need
 * measured and checked without holding them: the URL file written to disk and PUT from it, the job polled every 2 s
 * (within the tenant's request rate) to time its phases as a client sees them, the JVM's heap per phase
 * ({@link PhaseHeap}), the machine's load, and the result streamed back through its links, every row checked present
 * once and in input order. The site is {@link LoopbackSite}'s tiny page, so that the service is what is measured.
 *
 * <p>Usage: {@code MillionBench URLS CONCURRENCY none|realistic}
 */
public final class MillionBench {
    private static final String KEY = "bench-key";
    private static final Duration POLL = Duration.ofSeconds(2);

    private MillionBench() {
    }

    public static void main(String[] args) throws Exception {
        int urls = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        LatencyProfile profile = LatencyProfile.named(args[2]);
        // The functions' logs go to a file, to find out afterwards what a run that went wrong did.
        Path log = Files.createTempFile("trawl-million-", ".log");
        System.err.println("the functions' logs: " + log);
        Path file = Files.createTempFile("trawl-million-", ".txt");
        try (PrintStream logs = new PrintStream(new BufferedOutputStream(Files.newOutputStream(log)), true, StandardCharsets.UTF_8);
             LoopbackSite site = new LoopbackSite();
             LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(SharedRuntimeExtension.template(), 0,
                     Map.of(KEY, "bench"), site.hostsAndPorts(), Map.of(), true).withAwsLatency(profile));
             PhaseHeap heap = new PhaseHeap("upload")) {
            Log.redirect(logs);
            Api api = new Api(runtime.apiUrl(), KEY);
            try (BufferedWriter out = Files.newBufferedWriter(file)) {
                for (int i = 1; i <= urls; i++) {
                    out.write(site.page(i));
                    out.write('\n');
                }
            }
            long started = System.nanoTime();
            String uploadId = UploadJobs.upload(api, HttpRequest.BodyPublishers.ofFile(file), Files.size(file));
            long uploaded = System.nanoTime();

            heap.enter("plan");
            // The site's hosts are only 4: a per-host limit of 64 lets every one of the job's groups use its whole share.
            String jobId = UploadJobs.createJob(api, uploadId, concurrency,
                    Json.object().put("per_host_concurrency", 64));
            Load load = new Load();
            Instant fetched = null;
            int polls = 0;
            JsonNode job;
            while (true) {
                job = api.get("/v1/jobs/" + jobId).body();
                load.sample();
                String status = job.get("status").asText();
                if (List.of("completed", "failed", "cancelled").contains(status)) {
                    break;
                }
                JsonNode phases = job.get("phases");
                if (phases.get("plan").get("state").asText().equals("done")) {
                    heap.enter("fetch");
                }
                if (fetched == null && phases.get("fetch").get("state").asText().equals("done")) {
                    fetched = Instant.now();
                    heap.enter("finalize");
                }
                if (++polls % 15 == 0) { // every 30 s, on stderr: how far it is, to judge a long run's end
                    System.err.printf("%s %s urls_done=%s load1=%.1f%n", Instant.now(), status, job.path("urls_done"),
                            load.last);
                }
                Thread.sleep(POLL);
            }
            long ended = System.nanoTime();
            heap.enter("check");
            UploadJobs.require(job.get("status").asText().equals("completed"), "job: " + job);
            // A URL that ended in error is still a row, in its place: it is counted and shown, not a failed run.
            UploadJobs.require(job.get("urls_done").asInt() == urls, "urls_done: " + job);
            Result result = check(job, urls);

            Instant createdAt = Instant.parse(job.get("created_at").asText());
            Instant startedAt = Instant.parse(job.get("started_at").asText());
            Instant completedAt = Instant.parse(job.get("completed_at").asText());
            double fetchSeconds = seconds(startedAt, fetched == null ? completedAt : fetched);
            System.out.printf("aws_latency=%s urls=%d concurrency=%d chunks=%d upload_s=%.1f plan_s=%.1f fetch_s=%.1f "
                            + "urls_per_s=%.0f finalize_s=%.1f job_s=%.1f result_parts=%d result_bytes=%d rows_in_order=%d rows_errored=%d "
                            + "sdk_attempts=%d latency_added_s=%.1f load1_min=%.1f load1_mean=%.1f load1_max=%.1f "
                            + "cpus=%d max_heap_mib=%d%n",
                    profile.name(), urls, concurrency, job.get("phases").get("plan").path("chunks_total").asInt(),
                    (uploaded - started) / 1e9, seconds(createdAt, startedAt), fetchSeconds, urls / fetchSeconds,
                    fetched == null ? Double.NaN : seconds(fetched, completedAt), (ended - uploaded) / 1e9,
                    result.parts(), result.bytes(), result.rows(), result.errored(), runtime.awsLatency().attempts(),
                    runtime.awsLatency().delayed().toMillis() / 1e3, load.min, load.sum / load.count, load.max,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            for (PhaseHeap.Peak peak : heap.peaks()) {
                System.out.printf("phase=%s heap_after_gc_peak_mib=%s heap_used_peak_mib=%.0f collections=%d%n", peak.phase(),
                        peak.collections() == 0 ? "n/a" : "%.0f".formatted(peak.afterGc() / 1048576.0),
                        peak.used() / 1048576.0, peak.collections());
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.exit(0); // the emulators' non-daemon threads
    }

    /** What the result's links gave: parts, bytes, rows, rows whose fetch ended in error. */
    private record Result(int parts, long bytes, long rows, long errored) {
    }

    /**
     * Streams every part of the result, in order, and checks that row N is the input's line N, each once: the rows
     * are counted, never kept.
     */
    private static Result check(JsonNode job, int urls) throws Exception {
        List<String> links = new ArrayList<>();
        JsonNode parts = job.get("result_parts");
        if (parts != null && parts.isArray() && !parts.isEmpty()) {
            parts.forEach(part -> links.add(part.get("url").asText()));
        } else {
            links.add(job.get("download_url").asText());
        }
        boolean gzip = job.get("output").path("gzip").asBoolean(false);
        long bytes = 0;
        long row = 0;
        long errored = 0;
        for (String link : links) {
            try (Counting counted = new Counting(Api.openDownload(link));
                 BufferedReader lines = new BufferedReader(new InputStreamReader(
                         gzip ? new GZIPInputStream(counted, 65_536) : counted, StandardCharsets.UTF_8), 65_536)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    row++;
                    JsonNode parsed = Json.read(line, JsonNode.class);
                    UploadJobs.require(parsed.get("url").asText().endsWith("/page/" + row), "row " + row + " is " + line);
                    if (!parsed.get("status").asText().equals("ok")) {
                        errored++;
                        System.err.println("row " + row + " is not ok: " + line);
                    }
                }
                bytes += counted.count; // the whole part: its lines were read to the end
            }
        }
        UploadJobs.require(row == urls, row + " rows of " + urls);
        return new Result(links.size(), bytes, row, errored);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1e3;
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** The machine's 1-minute load average as sampled at each poll. */
    private static final class Load {
        double last;
        double min = Double.MAX_VALUE;
        double max;
        double sum;
        int count;

        void sample() {
            double now = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            last = now;
            min = Math.min(min, now);
            max = Math.max(max, now);
            sum += now;
            count++;
        }
    }
}
