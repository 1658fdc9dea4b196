package dev.trawl.core.plan;

import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.WorkQueue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Writes chunk files many at a time and sends chunk messages in batches, several batches at a time. Each call waits
 * for the work to start, never for it to end, so that S3's and SQS's latency overlap instead of adding up; the
 * permits bound what is in flight, and with it memory: a chunk's text is held only until its file is written.
 * {@link #awaitWrites} and {@link #awaitSends} wait for what was started and throw its first failure.
 */
final class ChunkPipeline implements AutoCloseable {
    static final int WRITES_IN_FLIGHT = 32;
    static final int SENDS_IN_FLIGHT = 8;
    /** The most messages one SQS batch takes. */
    static final int SEND_BATCH = 10;
    private static final String CHUNK_TYPE = "application/x-ndjson";

    private final BlobStore blobs;
    private final WorkQueue queue;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final int writesInFlight;
    private final int sendsInFlight;
    private final Semaphore writes;
    private final Semaphore sends;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final List<ChunkTask> unsent = new ArrayList<>();

    ChunkPipeline(BlobStore blobs, WorkQueue queue) {
        this(blobs, queue, WRITES_IN_FLIGHT, SENDS_IN_FLIGHT);
    }

    /** One and one is how the planner worked before: each file and each batch after the one before it. */
    ChunkPipeline(BlobStore blobs, WorkQueue queue, int writesInFlight, int sendsInFlight) {
        this.blobs = blobs;
        this.queue = queue;
        this.writesInFlight = writesInFlight;
        this.sendsInFlight = sendsInFlight;
        this.writes = new Semaphore(writesInFlight);
        this.sends = new Semaphore(sendsInFlight);
    }

    /** Starts writing one chunk file; waits while as many as allowed are in flight. */
    void write(String key, byte[] text) throws InterruptedException {
        throwFailure();
        writes.acquire();
        executor.execute(() -> {
            try {
                blobs.put(key, text, CHUNK_TYPE);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                writes.release();
            }
        });
    }

    /**
     * Counts the lines of chunk files already written, reading as many at once as it would write; throws the first
     * read's failure.
     */
    int[] countLines(int chunks, IntFunction<String> keyOf) throws InterruptedException {
        int[] lines = new int[chunks];
        for (int index = 0; index < chunks; index++) {
            throwFailure();
            writes.acquire();
            int chunk = index;
            executor.execute(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(blobs.open(keyOf.apply(chunk)),
                        StandardCharsets.UTF_8))) {
                    int count = 0;
                    String line;
                    while ((line = reader.readLine()) != null) {
                        count += line.isEmpty() ? 0 : 1;
                    }
                    lines[chunk] = count;
                } catch (IOException e) {
                    failure.compareAndSet(null, new UncheckedIOException(e));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    writes.release();
                }
            });
        }
        awaitWrites(); // the permits' release and acquire make every count seen here
        return lines;
    }

    /** Waits until every file started is written. */
    void awaitWrites() throws InterruptedException {
        writes.acquire(writesInFlight);
        writes.release(writesInFlight);
        throwFailure();
    }

    /** Queues a chunk's message; a batch goes out once it is full. Its file must be written already. */
    void send(ChunkTask task) throws InterruptedException {
        throwFailure();
        unsent.add(task);
        if (unsent.size() == SEND_BATCH) {
            sendUnsent();
        }
    }

    /** Sends what is left of a batch and waits until every message given is sent. */
    void awaitSends() throws InterruptedException {
        if (!unsent.isEmpty()) {
            sendUnsent();
        }
        sends.acquire(sendsInFlight);
        sends.release(sendsInFlight);
        throwFailure();
    }

    private void sendUnsent() throws InterruptedException {
        List<ChunkTask> batch = List.copyOf(unsent);
        unsent.clear();
        sends.acquire();
        executor.execute(() -> {
            try {
                queue.enqueueChunks(batch);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                sends.release();
            }
        });
    }

    private void throwFailure() {
        RuntimeException first = failure.get();
        if (first != null) {
            throw first;
        }
    }

    /** Waits for what is still in flight (after a failure), so that nothing is written after the plan gave up. */
    @Override
    public void close() {
        executor.close();
    }
}
