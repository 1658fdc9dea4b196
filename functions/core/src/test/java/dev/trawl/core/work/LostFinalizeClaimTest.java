package dev.trawl.core.work;

import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The last chunk's finalize claim committed, its answer lost (a time-out or a 500 after the write): the chunk's
 * redelivery, seconds later with the transient-failure backoff, recognises the claim as its own and asks for finalize,
 * instead of leaving the job to the reaper.
 */
class LostFinalizeClaimTest {
    private static final Instant NOW = Instant.parse("2026-05-12T10:00:00Z");
    private static final String TENANT = "tenant-a";
    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private RecordingWorkQueue queue;
    private MutableClock clock;
    private final AtomicInteger answersToLose = new AtomicInteger();
    private final AtomicInteger answersLost = new AtomicInteger();

    @BeforeEach
    void setUp() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    /** The store, except that a claim with a token takes effect and then throws, while answers are to be lost. */
    private JobStore losingClaimAnswers() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(jobs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("claimFinalize") && args.length == 4
                            && answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        answersLost.incrementAndGet();
                        throw new IllegalStateException("the claim's answer was lost after the write (claimed: " + result + ")");
                    }
                    return result;
                });
    }

    private ProcessChunk worker(JobStore store) {
        return new ProcessChunk(store, jobs, blobs, queue,
                new Fetcher(HttpClient.newHttpClient(), TargetPolicy.publicOnly(Set.of()), clock), clock);
    }

    private Job planned(int lines, int chunkSize) throws Exception {
        List<String> urls = IntStream.rangeClosed(1, lines)
                .mapToObj(i -> TestJobs.quoted("https://example.com/" + i)).toList();
        Job job = TestJobs.submit(jobs, blobs, TENANT, NOW, TestJobs.settings().dryRun(true).build(), urls);
        new PlanJob(jobs, jobs, blobs, queue, clock, chunkSize).plan(new JobRef(TENANT, job.id()));
        return jobs.find(TENANT, job.id()).orElseThrow();
    }

    @Test
    void theLastChunksRedeliveryFindsItsOwnClaimAndAsksForFinalize() throws Exception {
        Job job = planned(6, 3);
        ProcessChunk worker = worker(losingClaimAnswers());
        List<ChunkTask> chunks = List.copyOf(queue.chunks);
        assertEquals(2, chunks.size());
        worker.process(chunks.get(0));
        answersToLose.set(1);

        assertThrows(IllegalStateException.class, () -> worker.process(chunks.get(1)), "the delivery fails: it comes back");
        assertEquals(1, answersLost.get());
        Job claimed = jobs.find(TENANT, job.id()).orElseThrow();
        assertEquals(PhaseState.RUNNING, claimed.finalizeState(), "the claim took effect");
        assertEquals(List.of(), queue.finalizeRequests, "nobody asked for finalize yet");

        clock.advance(Duration.ofSeconds(2)); // the transient failure's first redelivery
        worker.process(chunks.get(1));
        assertEquals(List.of(new JobRef(TENANT, job.id())), queue.finalizeRequests, "asked for by the claimant's retry");

        // a late redelivery of another chunk is not the claimant: no second request
        worker.process(chunks.get(0));
        assertEquals(1, queue.finalizeRequests.size());
    }

    @Test
    void aClaimantThatIsNotTheLastChunkDoesNotTakeAnotherChunksClaim() throws Exception {
        Job job = planned(6, 3);
        ProcessChunk worker = worker(jobs);
        List<ChunkTask> chunks = List.copyOf(queue.chunks);
        worker.process(chunks.get(0));
        worker.process(chunks.get(1));
        assertEquals(1, queue.finalizeRequests.size(), "the last chunk claimed and asked");
        worker.process(chunks.get(0));
        assertEquals(1, queue.finalizeRequests.size(), "chunk 0's redelivery is not the claimant");
        assertEquals(PhaseState.RUNNING, jobs.find(TENANT, job.id()).orElseThrow().finalizeState());
    }
}
