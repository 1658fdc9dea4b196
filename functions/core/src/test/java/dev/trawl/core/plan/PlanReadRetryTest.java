package dev.trawl.core.plan;

import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.testing.ForwardingBlobStore;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemoryPlanLeases;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A read of the input that fails for a passing reason is tried again, not taken for an invalid input. */
class PlanReadRetryTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";

    private InMemoryJobStore jobs;
    private InMemoryBlobStore stored;
    private FailingReads blobs;
    private RecordingWorkQueue queue;

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        stored = new InMemoryBlobStore();
        blobs = new FailingReads(stored);
        queue = new RecordingWorkQueue();
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    private PlanJob planner() {
        return new PlanJob(jobs, jobs, new InMemoryPlanLeases(jobs), blobs, queue, new MutableClock(NOW), 7, null)
                .readBackoff(Duration.ofMillis(1));
    }

    private Job submit(int urls) {
        Job job = TestJobs.submit(jobs, stored, TENANT, NOW, JobSettings.DEFAULTS,
                IntStream.rangeClosed(1, urls).mapToObj(i -> TestJobs.quoted("https://example.com/" + i)).toList());
        blobs.inputKey = job.input().key();
        return job;
    }

    private List<Long> chunkLines(Job job) {
        Job planned = jobs.find(TENANT, job.id()).orElseThrow();
        List<Long> lines = new ArrayList<>();
        for (int index = 0; index < planned.chunksTotal(); index++) {
            for (String line : stored.text(BucketLayout.chunk(job.id(), index)).split("\n")) {
                lines.add(InputEntry.fromLine(line).line());
            }
        }
        return lines;
    }

    @Test
    void aConnectionResetHalfwayThroughTheInputIsReadAgainFromWhereItBroke() throws Exception {
        Job job = submit(50);
        blobs.failAfterBytes = 700;
        blobs.failures.set(1);

        planner().plan(new JobRef(TENANT, job.id()));

        Job planned = jobs.find(TENANT, job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, planned.status());
        assertEquals(50L, planned.urlsTotal());
        assertEquals(IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i).toList(), chunkLines(job), "every line once, in order");
        assertEquals(0, blobs.failures.get(), "the read failed once");
        assertTrue(blobs.opens.get() >= 2, "the input was opened again");
    }

    @Test
    void aThrottledOpenIsTriedAgain() throws Exception {
        Job job = submit(10);
        blobs.failOpen = 2;

        planner().plan(new JobRef(TENANT, job.id()));

        assertEquals(JobStatus.RUNNING, jobs.find(TENANT, job.id()).orElseThrow().status());
        assertEquals(IntStream.rangeClosed(1, 10).mapToObj(i -> (long) i).toList(), chunkLines(job));
    }

    @Test
    void aReadThatKeepsFailingLeavesTheJobForALaterTryNotInvalid() throws Exception {
        Job job = submit(50);
        blobs.failAfterBytes = 100;
        blobs.failures.set(Integer.MAX_VALUE);

        assertThrows(InputEntries.ReadFailed.class, () -> planner().plan(new JobRef(TENANT, job.id())));

        Job waiting = jobs.find(TENANT, job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, waiting.status(), "the message comes back; the job is not failed");
        assertEquals(PhaseState.PENDING, waiting.planState());
        assertEquals(1 + InputEntries.RETRIES, blobs.opens.get(), "the first read and its retries");

        // the message's next delivery, once S3 answers again, plans it: the lease was given up
        blobs.failures.set(0);
        planner().plan(new JobRef(TENANT, job.id()));
        assertEquals(JobStatus.RUNNING, jobs.find(TENANT, job.id()).orElseThrow().status());
        assertEquals(IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i).toList(), chunkLines(job));
    }

    /** Reads of the job's input that break as S3 reads do. */
    private static final class FailingReads extends ForwardingBlobStore {
        volatile String inputKey;
        volatile long failAfterBytes = Long.MAX_VALUE;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        volatile int failOpen;

        FailingReads(BlobStore blobs) {
            super(blobs);
        }

        @Override
        public InputStream open(String key) throws IOException {
            if (!key.equals(inputKey)) {
                return blobs.open(key);
            }
            opens.incrementAndGet();
            if (failOpen > 0) {
                failOpen--;
                throw new IllegalStateException("SlowDown: please reduce your request rate (a throttled GET)");
            }
            return new FilterInputStream(blobs.open(key)) {
                private long read;

                @Override
                public int read() throws IOException {
                    breakHere(1);
                    return super.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, (int) Math.min(length, Math.max(1, failAfterBytes - read)));
                    breakHere(Math.max(n, 0));
                    return n;
                }

                private void breakHere(int n) throws IOException {
                    read += n;
                    if (read >= failAfterBytes && failures.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0) {
                        throw new SocketException("Connection reset");
                    }
                }
            };
        }
    }
}
