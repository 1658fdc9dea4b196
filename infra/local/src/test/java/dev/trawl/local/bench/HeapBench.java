package dev.trawl.local.bench;

import dev.trawl.core.finalize.FinalizeJob;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.output.RowEncoders;
import dev.trawl.core.output.TextEncoders;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Log;
import dev.trawl.finalizer.ParquetEncoders;

import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The planner and the finalizer on inputs of N lines, with objects on local disk so that only their own memory is
 * measured. Prints the peak heap in use after the run; run it at small and large N under one -Xmx to see the bound.
 *
 * <p>Usage: {@code HeapBench plan|finalize|finalize-parquet LINES}
 */
public final class HeapBench {
    private HeapBench() {
    }

    public static void main(String[] args) throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        String what = args[0];
        int lines = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("trawl-heap-bench");
        DiskBlobs blobs = new DiskBlobs(dir);
        String id = "job_01JD3F2D1A77B0E1XYZ0000000";
        long started = System.nanoTime();
        switch (what) {
            case "plan" -> plan(blobs, id, lines);
            case "finalize" -> finalizeJob(blobs, id, lines, new OutputSpec("csv", true), new TextEncoders());
            case "finalize-parquet" -> finalizeJob(blobs, id, lines, new OutputSpec("parquet", false), new ParquetEncoders());
            default -> throw new IllegalArgumentException("plan, finalize or finalize-parquet, not " + what);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.gc();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("%s lines=%d max_heap_mib=%d peak_heap_used_mib=%.1f millis=%d%n", what, lines,
                Runtime.getRuntime().maxMemory() >> 20, peak / 1048576.0, millis);
    }

    private static void plan(DiskBlobs blobs, String id, int lines) throws IOException, InterruptedException {
        String key = BucketLayout.upload("bench", "upl_01JD3F2D1A77B0E1XYZ0000000");
        try (BufferedWriter out = Files.newBufferedWriter(blobs.path(key))) {
            for (int i = 1; i <= lines; i++) {
                out.write("{\"url\":\"https://shop.example/products/" + i + "?ref=bench\",\"meta\":{\"sku\":\"SKU-" + i + "\"}}\n");
            }
        }
        Job job = Job.accepted(id, "bench", "bench", Instant.now(), JobInput.upload(key, InputFormat.NDJSON, "upl"),
                JobSettings.DEFAULTS, null);
        AtomicReference<Long> total = new AtomicReference<>();
        BenchStore jobs = store(job, total, List.of());
        List<Integer> sent = new ArrayList<>();
        WorkQueue queue = new WorkQueue() {
            @Override
            public void requestPlan(JobRef ref) {
            }

            @Override
            public void enqueueChunks(List<ChunkTask> chunks) {
                sent.add(chunks.size());
            }

            @Override
            public void requestFinalize(JobRef ref) {
            }

            @Override
            public void sendWebhook(dev.trawl.core.message.WebhookTask task, java.time.Duration delay) {
                throw new IllegalStateException("the bench job has no webhook");
            }
        };
        new PlanJob(jobs, jobs, blobs, queue, Clock.systemUTC(), 100).plan(new JobRef("bench", id));
        if (total.get() == null || total.get() != lines) {
            throw new IllegalStateException("planned " + total.get() + " of " + lines);
        }
    }

    private static void finalizeJob(DiskBlobs blobs, String id, int lines, OutputSpec output, RowEncoders encoders)
            throws IOException {
        int chunkSize = 1000;
        List<ChunkResult> chunks = new ArrayList<>();
        for (int c = 0; c * chunkSize < lines; c++) {
            String key = BucketLayout.part(id, c, "bench");
            int rows = Math.min(chunkSize, lines - c * chunkSize);
            try (BufferedWriter out = Files.newBufferedWriter(blobs.path(key))) {
                for (int i = 0; i < rows; i++) {
                    long line = (long) c * chunkSize + i + 1;
                    out.write("{\"line\":" + line + ",\"url\":\"https://shop.example/products/" + line + "\",\"status\":\"ok\","
                            + "\"http_status\":200,\"final_url\":\"https://shop.example/products/" + line + "\",\"content_type\":"
                            + "\"text/html\",\"bytes\":2048,\"elapsed_ms\":41,\"attempts\":1,\"fetched_at\":\"2026-11-24T02:00:00.000Z\","
                            + "\"data\":null,\"meta\":{\"sku\":\"SKU-" + line + "\"},\"error\":null}\n");
                }
            }
            chunks.add(new ChunkResult(c, rows, key, new Counters(rows, 0, 0), ChunkStats.NONE));
        }
        JobSettings settings = new JobSettings(16, output, JobSettings.DEFAULTS.defaults(), 3600, false,
                null, null, 0, 86_400);
        Job accepted = Job.accepted(id, "bench", "bench", Instant.now(), JobInput.inline("x"), settings, null);
        Job running = new Job(id, "bench", "bench", JobStatus.RUNNING, accepted.createdAt(), accepted.createdAt(), null,
                accepted.createdAt(), (long) lines, new Counters(lines, 0, 0), 0, accepted.input(), settings, null,
                PhaseState.DONE, chunks.size(), PhaseState.DONE, chunks.size(), PhaseState.RUNNING, null, null, null, null);
        AtomicReference<Long> unused = new AtomicReference<>();
        BenchStore store = store(running, unused, chunks);
        new FinalizeJob(store, store, store, blobs, null, Clock.systemUTC(), FinalizeJob.DEFAULT_SPLIT_BYTES, encoders)
                .finalizeJob(new JobRef("bench", id));
    }

    /** The job table's ports the planner and finalizer use. */
    private interface BenchStore extends JobStore, ChunkLedger, WebhookDeliveries {
    }

    /** The few calls of the job table the planner and finalizer make, answered for one job. */
    private static BenchStore store(Job job, AtomicReference<Long> plannedTotal, List<ChunkResult> chunks) {
        return (BenchStore) Proxy.newProxyInstance(BenchStore.class.getClassLoader(), new Class<?>[]{BenchStore.class},
                (proxy, method, a) -> switch (method.getName()) {
                    case "find" -> java.util.Optional.of(job);
                    case "markPlanned" -> {
                        plannedTotal.set((Long) a[2]);
                        yield true;
                    }
                    case "committedChunks" -> chunks;
                    case "finish" -> {
                        @SuppressWarnings("unchecked")
                        List<ResultPart> parts = (List<ResultPart>) a[5];
                        if (parts.stream().mapToLong(ResultPart::rows).sum() != job.urlsTotal()) {
                            throw new IllegalStateException("result rows differ");
                        }
                        yield true;
                    }
                    case "claimFinalize", "failPlanning" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Objects as files under a folder. */
    private static final class DiskBlobs implements BlobStore {
        private final Path root;

        DiskBlobs(Path root) {
            this.root = root;
        }

        Path path(String key) throws IOException {
            Path path = root.resolve(key);
            Files.createDirectories(path.getParent());
            return path;
        }

        @Override
        public void put(String key, byte[] content, String contentType) {
            try {
                Files.write(path(key), content);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public InputStream open(String key) throws IOException {
            Path path = root.resolve(key);
            if (!Files.exists(path)) {
                throw new FileNotFoundException(key);
            }
            return Files.newInputStream(path);
        }

        @Override
        public Upload create(String key, String contentType) throws IOException {
            Path path = path(key);
            OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(path));
            return new Upload() {
                @Override
                public OutputStream stream() {
                    return new java.io.FilterOutputStream(out) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public void commit() throws IOException {
                    out.close();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public void delete(String key) {
        }

        @Override
        public int deletePrefix(String prefix) {
            return 0;
        }

        @Override
        public URI presignGet(String key, Duration ttl) {
            return URI.create("file:///" + key);
        }

        @Override
        public URI presignPut(String key, long contentLength, Duration ttl) {
            return URI.create("file:///" + key);
        }
    }
}
