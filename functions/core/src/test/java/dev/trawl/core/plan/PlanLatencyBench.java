package dev.trawl.core.plan;

import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.testing.ForwardingBlobStore;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryPlanLeases;
import dev.trawl.core.util.Log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * The planner on an upload of N URLs with ports that wait as long as AWS answers: S3 PUT 30 ms, GET 20 ms to the
 * first byte, SQS send (a batch) 10 ms, DynamoDB reads 5 ms and writes 8 ms. Runs the planner as it was (one chunk
 * file after another, one batch after another: one write and one send in flight) as the baseline, then as it is, and
 * checks that every chunk holds its lines, in order, and that each is sent once. The input is pinned (reads with
 * If-Match) and the planner takes its planning lease, as in the service.
 *
 * <p>Usage: {@code PlanLatencyBench LINES [baseline|parallel|both]}; run by {@code bench/plan-latency.sh}.
 */
public final class PlanLatencyBench {
    private static final int CHUNK_SIZE = 100;
    private static final long PUT_MS = 30;
    private static final long GET_FIRST_BYTE_MS = 20;
    private static final long SEND_MS = 10;
    private static final long DB_READ_MS = 5;
    private static final long DB_WRITE_MS = 8;

    private PlanLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        int lines = Integer.parseInt(args[0]);
        String which = args.length > 1 ? args[1] : "both";
        byte[] input = input(lines);
        Double baseline = null;
        if (!which.equals("parallel")) {
            baseline = run("baseline (1 write, 1 send in flight)", input, lines, 1, 1, null);
        }
        if (!which.equals("baseline")) {
            run("parallel (" + ChunkPipeline.WRITES_IN_FLIGHT + " writes, " + ChunkPipeline.SENDS_IN_FLIGHT
                    + " sends in flight)", input, lines, ChunkPipeline.WRITES_IN_FLIGHT, ChunkPipeline.SENDS_IN_FLIGHT, baseline);
        }
    }

    private static byte[] input(int lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines * 80);
        for (int i = 1; i <= lines; i++) {
            out.writeBytes(("{\"url\":\"https://shop.example/products/" + i + "?ref=bench\",\"meta\":{\"sku\":\"SKU-" + i
                    + "\"}}\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static double run(String mode, byte[] input, int lines, int writes, int sends, Double baseline)
            throws Exception {
        InMemoryBlobStore stored = new InMemoryBlobStore();
        String key = BucketLayout.upload("bench", "upl_01JD3F2D1A77B0E1XYZ0000000");
        stored.put(key, input, "application/x-ndjson");
        InMemoryJobStore table = new InMemoryJobStore();
        // pinned, as a job from a ready upload is: every read is a GET with If-Match
        Job job = Job.accepted("job_01JD3F2D1A77B0E1XYZ0000000", "bench", "bench", Instant.now(),
                JobInput.upload(key, InputFormat.NDJSON, "upl_01JD3F2D1A77B0E1XYZ0000000").pinned(stored.etag(key)),
                JobSettings.DEFAULTS, null);
        table.create(job);
        SlowQueue queue = new SlowQueue();
        Ports ports = slowTable(table);
        PlanJob planner = new PlanJob(ports, ports, slowLeases(new InMemoryPlanLeases(table)), new SlowBlobs(stored),
                queue, Clock.systemUTC(), CHUNK_SIZE, null).inFlight(writes, sends);

        long started = System.nanoTime();
        planner.plan(new JobRef("bench", job.id()));
        double seconds = (System.nanoTime() - started) / 1e9;

        check(stored, table.find("bench", job.id()).orElseThrow(), queue, lines);
        System.out.printf("plan lines=%d mode=%s seconds=%.1f%s%n", lines, mode, seconds,
                baseline == null ? "" : String.format(" x_baseline=%.3f (%.1fx faster)", seconds / baseline, baseline / seconds));
        return seconds;
    }

    /** Every line in its chunk, in order; every chunk sent once. */
    private static void check(InMemoryBlobStore stored, Job planned, SlowQueue queue, int lines) {
        int chunks = (lines + CHUNK_SIZE - 1) / CHUNK_SIZE;
        if (planned.urlsTotal() != lines || planned.chunksTotal() != chunks) {
            throw new IllegalStateException("planned " + planned.urlsTotal() + " URLs in " + planned.chunksTotal() + " chunks");
        }
        long next = 1;
        for (int c = 0; c < chunks; c++) {
            String text = stored.text(BucketLayout.chunk(planned.id(), c));
            for (String line : text.split("\n")) {
                if (!line.startsWith("{\"line\":" + next + ",")) {
                    throw new IllegalStateException("chunk " + c + " holds " + line + " where line " + next + " belongs");
                }
                next++;
            }
        }
        if (next != lines + 1 || queue.sent.cardinality() != chunks || queue.twice) {
            throw new IllegalStateException("lines " + (next - 1) + ", chunks sent " + queue.sent.cardinality());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Ports extends JobStore, WebhookDeliveries {
    }

    /** The job table's calls, each after a DynamoDB-like wait: reads 5 ms, writes 8 ms. */
    private static Ports slowTable(InMemoryJobStore table) {
        Set<String> reads = Set.of("find", "latest", "list", "metrics");
        return (Ports) Proxy.newProxyInstance(Ports.class.getClassLoader(), new Class<?>[]{Ports.class},
                (proxy, method, args) -> {
                    pause(reads.contains(method.getName()) ? DB_READ_MS : DB_WRITE_MS);
                    try {
                        return method.invoke(table, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The planning lease's calls, each a DynamoDB write (a conditional update; taking it also reads the item). */
    private static PlanLeases slowLeases(PlanLeases leases) {
        return (PlanLeases) Proxy.newProxyInstance(PlanLeases.class.getClassLoader(), new Class<?>[]{PlanLeases.class},
                (proxy, method, args) -> {
                    pause(DB_WRITE_MS + (method.getName().equals("take") ? DB_READ_MS : 0));
                    try {
                        return method.invoke(leases, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static final class SlowQueue implements WorkQueue {
        final BitSet sent = new BitSet();
        volatile boolean twice;

        @Override
        public void requestPlan(JobRef job) {
            pause(SEND_MS);
        }

        @Override
        public void enqueueChunks(List<ChunkTask> chunks) {
            pause(SEND_MS);
            synchronized (sent) {
                for (ChunkTask chunk : chunks) {
                    twice |= sent.get(chunk.chunk());
                    sent.set(chunk.chunk());
                }
            }
        }

        @Override
        public void requestFinalize(JobRef job) {
            pause(SEND_MS);
        }

        @Override
        public void sendWebhook(WebhookTask task, Duration delay) {
            pause(SEND_MS);
        }
    }

    /** S3-like waits: a PUT 30 ms, a GET 20 ms before its first byte. */
    private static final class SlowBlobs extends ForwardingBlobStore {

        SlowBlobs(BlobStore blobs) {
            super(blobs);
        }

        @Override
        public void put(String key, byte[] content, String contentType) {
            pause(PUT_MS);
            blobs.put(key, content, contentType);
        }

        @Override
        public InputStream open(String key) throws IOException {
            pause(GET_FIRST_BYTE_MS);
            return blobs.open(key);
        }

        @Override
        public InputStream open(String key, String etag) throws IOException {
            pause(GET_FIRST_BYTE_MS);
            return blobs.open(key, etag);
        }

        @Override
        public void delete(String key) {
            pause(PUT_MS);
            blobs.delete(key);
        }
    }
}
