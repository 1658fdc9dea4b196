package dev.trawl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.local.Api;
import dev.trawl.local.LatencyProfile;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.SharedRuntimeExtension;
import dev.trawl.local.TestSite;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fairness across tenants on the local stack (issue 11 item 7): tenant B's small job alone (its solo time), then the
 * same job created just after tenant A's many larger jobs, created at once (its contended time), against a site on loopback whose
 * every page answers after a fixed delay. A job's time is its own {@code created_at} to {@code completed_at}; a run's
 * line splits B's time from {@code created_at}: planned ({@code started_at}), its first and last request seen by the
 * site (first minus planned is its chunk's time in the queue; after the last, the finalize). Prints one line per run and the medians; the ratio contended/solo is the figure.
 *
 * <p>Usage: {@code FairnessBench none|realistic [RUNS [PAGE_MS [A_JOBS [A_URLS [A_CONCURRENCY [B_URLS [B_CONCURRENCY]]]]]]]}
 * (defaults 3 200 20 400 64 40 16).
 */
public final class FairnessBench {
    private static final String KEY_A = "fair-key-a";
    private static final String KEY_B = "fair-key-b";

    private FairnessBench() {
    }

    /** Seconds from B's {@code created_at}: planned, first fetch seen, last fetch seen, completed. */
    private record Times(double planSeconds, double waitSeconds, double lastFetchSeconds, double jobSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        LatencyProfile profile = LatencyProfile.named(args[0]);
        int runs = intArg(args, 1, 3);
        int pageMillis = intArg(args, 2, 200);
        int aJobs = intArg(args, 3, 20);
        int aUrls = intArg(args, 4, 400);
        int aConcurrency = intArg(args, 5, 64);
        int bUrls = intArg(args, 6, 40);
        int bConcurrency = intArg(args, 7, 16);
        try (TestSite site = new TestSite();
             LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(SharedRuntimeExtension.template(), 0,
                     Map.of(KEY_A, "tenant-a", KEY_B, "tenant-b"), site.hostsAndPorts(),
                     SharedRuntimeExtension.withGenerousLimits(Map.of()), true)
                     .withAwsLatency(profile))) {
            Api tenantA = new Api(runtime.apiUrl(), KEY_A);
            Api tenantB = new Api(runtime.apiUrl(), KEY_B);
            // A warm-up job, not counted: the first invocations of each function load their classes.
            timeB(tenantB, site, "warm", bUrls, bConcurrency, pageMillis);
            double[] solo = new double[runs];
            double[] contended = new double[runs];
            double[] ratio = new double[runs];
            for (int run = 1; run <= runs; run++) {
                Times alone = timeB(tenantB, site, "solo" + run, bUrls, bConcurrency, pageMillis);
                long aStarted = System.nanoTime();
                List<String> aIds = createAll(tenantA, site, "a" + run + "j", aJobs, aUrls, aConcurrency, pageMillis);
                double aCreateSeconds = (System.nanoTime() - aStarted) / 1e9;
                Times beside = timeB(tenantB, site, "beside" + run, bUrls, bConcurrency, pageMillis);
                Instant firstA = null;
                Instant lastA = null;
                for (String id : aIds) {
                    JsonNode job = tenantA.awaitTerminal(id, Duration.ofMinutes(30));
                    require(job.get("status").asText().equals("completed"), "A's job: " + job);
                    Instant created = Instant.parse(job.get("created_at").asText());
                    Instant completed = Instant.parse(job.get("completed_at").asText());
                    firstA = firstA == null || created.isBefore(firstA) ? created : firstA;
                    lastA = lastA == null || completed.isAfter(lastA) ? completed : lastA;
                }
                solo[run - 1] = alone.jobSeconds();
                contended[run - 1] = beside.jobSeconds();
                ratio[run - 1] = beside.jobSeconds() / alone.jobSeconds();
                System.out.printf("run=%d solo_s=%.2f (planned %.2f first_fetch %.2f last_fetch %.2f) contended_s=%.2f "
                                + "(planned %.2f first_fetch %.2f last_fetch %.2f) ratio=%.2f a_create_s=%.2f a_all_done_s=%.2f%n",
                        run, alone.jobSeconds(), alone.planSeconds(), alone.waitSeconds(), alone.lastFetchSeconds(),
                        beside.jobSeconds(), beside.planSeconds(), beside.waitSeconds(), beside.lastFetchSeconds(),
                        ratio[run - 1], aCreateSeconds, Duration.between(firstA, lastA).toMillis() / 1e3);
            }
            System.out.printf("aws_latency=%s fair_delivery=%s runs=%d page_ms=%d a_jobs=%d a_urls=%d a_concurrency=%d b_urls=%d "
                            + "b_concurrency=%d median_solo_s=%.2f median_contended_s=%.2f median_ratio=%.2f "
                            + "sdk_attempts=%d%n",
                    profile.name(), System.getProperty("trawl.fairDelivery", "off"), runs, pageMillis, aJobs, aUrls, aConcurrency, bUrls, bConcurrency, median(solo),
                    median(contended), median(ratio), runtime.awsLatency().attempts());
        }
        System.exit(0); // the emulators' non-daemon threads
    }

    /** Creates B's job and waits for it: its time from creation to completion, and to its first fetch. */
    private static Times timeB(Api api, TestSite site, String name, int urls, int concurrency, int pageMillis)
            throws Exception {
        String prefix = "/slow/" + name + "-";
        AtomicLong firstHit = new AtomicLong();
        AtomicLong lastHit = new AtomicLong();
        Thread watcher = Thread.ofVirtual().start(() -> {
            int seen = 0;
            while (seen < urls) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                seen = site.hitsUnder(prefix);
                if (seen > 0 && firstHit.get() == 0) {
                    firstHit.set(System.currentTimeMillis());
                }
            }
            lastHit.set(System.currentTimeMillis());
        });
        String id = create(api, site, name, urls, concurrency, pageMillis);
        JsonNode job = api.awaitTerminal(id, Duration.ofMinutes(30));
        watcher.join(Duration.ofSeconds(5));
        watcher.interrupt();
        require(job.get("status").asText().equals("completed"), "B's job: " + job);
        require(job.get("urls_ok").asInt() == urls, "B's urls_ok: " + job);
        Instant created = Instant.parse(job.get("created_at").asText());
        Instant started = Instant.parse(job.get("started_at").asText());
        Instant completed = Instant.parse(job.get("completed_at").asText());
        return new Times(Duration.between(created, started).toMillis() / 1e3,
                (firstHit.get() - created.toEpochMilli()) / 1e3, (lastHit.get() - created.toEpochMilli()) / 1e3,
                Duration.between(created, completed).toMillis() / 1e3);
    }

    /** A's jobs, created at once (a client submitting a batch of jobs), each on its own thread. */
    private static List<String> createAll(Api api, TestSite site, String name, int jobs, int urls, int concurrency,
                                          int pageMillis) throws Exception {
        List<Future<String>> created = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int job = 1; job <= jobs; job++) {
                String jobName = name + job;
                created.add(threads.submit(() -> create(api, site, jobName, urls, concurrency, pageMillis)));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> id : created) {
            ids.add(id.get());
        }
        return ids;
    }

    /**
     * A job of {@code urls} pages, each answering after {@code pageMillis}, spread over the site's hosts, with a
     * per-host limit that never binds before the job's concurrency does.
     */
    private static String create(Api api, TestSite site, String name, int urls, int concurrency, int pageMillis)
            throws Exception {
        ObjectNode body = Json.object();
        body.put("name", name);
        ArrayNode list = body.putObject("input").putArray("urls");
        for (int i = 1; i <= urls; i++) {
            list.add(site.url(1 + i % TestSite.HOSTS, "/slow/" + name + "-" + i + "?ms=" + pageMillis));
        }
        body.put("concurrency", concurrency);
        body.putObject("defaults").put("retries", 0).put("per_host_concurrency", 64);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        for (int again = 0; created.status() == 429 && again < 10; again++) {
            // a tenant's jobs created at once race on its request bucket: a client waits as told and asks again
            Thread.sleep(1_000);
            created = api.post("/v1/jobs", Json.write(body));
        }
        require(created.status() == 202, "create: " + created.raw().body());
        return created.body().get("id").asText();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
