package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.port.ChunkLedger.ChunkCommit;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static dev.trawl.core.testing.contract.ContractJobs.chunk;
import static dev.trawl.core.testing.contract.ContractJobs.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChunkLedger}: a chunk (or segment) commits once, in one transaction with what it adds to its job, however
 * often and however concurrently it is delivered. The cases named {@code ...AsDynamoDbRefusesIt} are writes
 * DynamoDB's conditions refuse.
 */
public abstract class ChunkLedgerContract extends JobTableContract {

    private List<ChunkResult> committed(Job job) {
        return StreamSupport.stream(ledger.committedChunks(job.id()).spliterator(), false).toList();
    }

    private static String positions(List<ChunkResult> commits) {
        return commits.stream().map(c -> c.chunk() + "+" + c.start()).toList().toString();
    }

    @Test
    void aCommitAddsItsCountersAndMetricsToTheJob() {
        Job job = running(2);
        assertEquals(ChunkCommit.COMMITTED, ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(2, 1, 0)), T0));
        assertEquals(ChunkCommit.COMMITTED, ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 1, 1)), T0.plusSeconds(2)));
        Job counted = find(job);
        assertEquals(new Counters(3, 2, 1), counted.counters());
        assertEquals(2, counted.chunksDone());
        assertEquals(T0.plusSeconds(2), counted.updatedAt());
        JobMetrics metrics = ledger.metrics(tenant, job.id()).orElseThrow();
        assertEquals(3L, metrics.httpClasses().get("2xx"));
        assertEquals(0L, metrics.httpClasses().get("5xx"));
        assertEquals(Map.of("timeout", 2L), metrics.errors());
        assertEquals(20, metrics.bytesFetched());
        assertEquals(6, metrics.attempts());
        assertEquals(3, metrics.latency().total());
        assertNull(metrics.maxFetchMs(), "kept by recordMaxFetchMs, not by the commit");
    }

    @Test
    void aSecondCommitOfAChunkIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(2);
        ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(2, 1, 0)), T0);
        assertEquals(ChunkCommit.ALREADY_COMMITTED, ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(3, 0, 0)), T0));
        assertEquals(new Counters(2, 1, 0), find(job).counters(), "counted once");
        assertEquals(1, find(job).chunksDone());
        assertEquals(new Counters(2, 1, 0), ledger.committedChunk(job.id(), 1, 0).orElseThrow().counters(), "the first stands");
        assertEquals(2L, ledger.metrics(tenant, job.id()).orElseThrow().httpClasses().get("2xx"));
    }

    @Test
    void aCommitToAnotherTenantsJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = running(1);
        assertThrows(RuntimeException.class,
                () -> ledger.commitChunk(ContractJobs.newTenant(), job.id(), chunk(0, new Counters(1, 0, 0)), T0));
        assertTrue(ledger.committedChunk(job.id(), 0, 0).isEmpty(), "nothing of it is kept");
        assertEquals(job, find(job));
        String none = TestJobs.newId();
        assertThrows(RuntimeException.class, () -> ledger.commitChunk(tenant, none, chunk(0, Counters.ZERO), T0));
        assertTrue(ledger.committedChunk(none, 0, 0).isEmpty());
        assertEquals(ChunkCommit.COMMITTED, ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 0, 0)), T0),
                "the refused commits left the chunk free");
    }

    @Test
    void aCommitKeepsItsCountsAndPartButNotItsStats() {
        Job job = running(1);
        ChunkResult result = chunk(0, new Counters(4, 1, 2));
        ledger.commitChunk(tenant, job.id(), result, T0);
        assertEquals(new ChunkResult(0, 0, 7, "p0", new Counters(4, 1, 2), ChunkStats.NONE, true),
                ledger.committedChunk(job.id(), 0, 0).orElseThrow());
        assertTrue(ledger.committedChunk(job.id(), 1, 0).isEmpty());
        assertTrue(ledger.committedChunk(job.id(), 0, 3).isEmpty(), "a segment is its own commit");
    }

    @Test
    void twoDeliveriesOfOneChunkAtOnceCommitItOnce() throws Exception {
        Job job = running(1);
        List<ChunkCommit> answers = ContractJobs.atOnce(4,
                i -> ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(1, 1, 0)), T0));
        assertEquals(1, Collections.frequency(answers, ChunkCommit.COMMITTED), answers.toString());
        assertEquals(3, Collections.frequency(answers, ChunkCommit.ALREADY_COMMITTED), answers.toString());
        assertEquals(new Counters(1, 1, 0), find(job).counters());
        assertEquals(1, find(job).chunksDone());
        assertEquals(1L, ledger.metrics(tenant, job.id()).orElseThrow().errors().get("timeout"));
    }

    @Test
    void chunksCommittingAtOnceAllAddUp() throws Exception {
        Job job = running(6);
        List<ChunkCommit> answers = ContractJobs.atOnce(6,
                i -> ledger.commitChunk(tenant, job.id(), chunk(i, new Counters(1, 0, 1)), T0));
        assertEquals(Collections.nCopies(6, ChunkCommit.COMMITTED), answers);
        assertEquals(new Counters(6, 0, 6), find(job).counters());
        assertEquals(6, find(job).chunksDone());
        assertEquals(6L, ledger.metrics(tenant, job.id()).orElseThrow().httpClasses().get("2xx"));
    }

    @Test
    void segmentsCommitApartAndOnlyTheLastOneCompletesItsChunk() {
        Job job = running(2);
        assertEquals(ChunkCommit.COMMITTED, ledger.commitChunk(tenant, job.id(), segment(0, 0, 3, false), T0));
        assertEquals(0, find(job).chunksDone(), "the chunk goes on");
        assertEquals(3, find(job).counters().done(), "its rows count at once");
        assertEquals(ChunkCommit.COMMITTED, ledger.commitChunk(tenant, job.id(), segment(0, 3, 4, true), T0));
        assertEquals(ChunkCommit.ALREADY_COMMITTED, ledger.commitChunk(tenant, job.id(), segment(0, 3, 4, true), T0));
        assertEquals(ChunkCommit.ALREADY_COMMITTED, ledger.commitChunk(tenant, job.id(), segment(0, 0, 3, false), T0));
        assertEquals(1, find(job).chunksDone());
        assertEquals(7, find(job).counters().done());
        ChunkResult continued = ledger.committedChunk(job.id(), 0, 3).orElseThrow();
        assertEquals(3, continued.start());
        assertEquals(7, continued.end());
        assertTrue(continued.complete());
        assertFalse(ledger.committedChunk(job.id(), 0, 0).orElseThrow().complete());
    }

    @Test
    void committedChunksAreInChunkThenLineOrderAcrossPages() {
        Job job = running(12);
        List<ChunkResult> commits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            commits.add(i == 10 ? segment(10, 0, 5, false) : chunk(i, new Counters(1, 0, 0)));
        }
        commits.add(segment(10, 5, 2, false));
        commits.add(segment(10, 7, 1, true));
        Collections.shuffle(commits, new Random(7));
        for (ChunkResult commit : commits) {
            ledger.commitChunk(tenant, job.id(), commit, T0);
        }
        String expected = "[0+0, 1+0, 2+0, 3+0, 4+0, 5+0, 6+0, 7+0, 8+0, 9+0, 10+0, 10+5, 10+7, 11+0]";
        assertEquals(expected, positions(committed(job)));
        assertEquals(expected, positions(committed(job)), "each iteration reads anew");
        assertEquals(12, find(job).chunksDone());
        assertFalse(ledger.committedChunks(TestJobs.newId()).iterator().hasNext(), "no commits: nothing");
    }

    @Test
    void theSlowestFetchIsKeptOutsideTheCommit() {
        Job job = running(1);
        ledger.recordMaxFetchMs(tenant, job.id(), 70);
        ledger.recordMaxFetchMs(tenant, job.id(), 30);
        assertEquals(70L, ledger.metrics(tenant, job.id()).orElseThrow().maxFetchMs());
        ledger.recordMaxFetchMs(tenant, job.id(), 71);
        assertEquals(71L, ledger.metrics(tenant, job.id()).orElseThrow().maxFetchMs());
        ledger.recordMaxFetchMs(tenant, TestJobs.newId(), 5);
        ledger.recordMaxFetchMs(ContractJobs.newTenant(), job.id(), 500);
        assertEquals(71L, ledger.metrics(tenant, job.id()).orElseThrow().maxFetchMs(), "another tenant's call changes nothing");
    }

    @Test
    void metricsAreTheTenantsOnly() {
        Job job = running(1);
        assertTrue(ledger.metrics(tenant, job.id()).isPresent());
        assertTrue(ledger.metrics(ContractJobs.newTenant(), job.id()).isEmpty());
        assertTrue(ledger.metrics(tenant, TestJobs.newId()).isEmpty());
        JobMetrics none = ledger.metrics(tenant, job.id()).orElseThrow();
        assertEquals(Map.of("2xx", 0L, "3xx", 0L, "4xx", 0L, "5xx", 0L), none.httpClasses());
        assertEquals(Map.of(), none.errors());
        assertEquals(0, none.latency().total());
    }

    @Test
    void progressSamplesRotateAfterTheirMinimumAge() {
        Job job = running(2);
        ledger.commitChunk(tenant, job.id(), chunk(0, new Counters(4, 0, 0)), T0);
        ledger.sampleProgress(tenant, job.id(), T0.plusSeconds(5), 20);
        assertEquals(new Job.RateSample(null, 0, T0.plusSeconds(5), 4), find(job).rate());
        ledger.commitChunk(tenant, job.id(), chunk(1, new Counters(3, 0, 0)), T0);
        ledger.sampleProgress(tenant, job.id(), T0.plusSeconds(20), 20);
        assertEquals(new Job.RateSample(null, 0, T0.plusSeconds(5), 4), find(job).rate(), "too soon");
        ledger.sampleProgress(tenant, job.id(), T0.plusSeconds(26), 20);
        assertEquals(new Job.RateSample(T0.plusSeconds(5), 4, T0.plusSeconds(26), 7), find(job).rate());
        ledger.sampleProgress(ContractJobs.newTenant(), job.id(), T0.plusSeconds(90), 20);
        assertEquals(T0.plusSeconds(26), find(job).rate().latestAt(), "another tenant's call changes nothing");
        ledger.sampleProgress(tenant, TestJobs.newId(), T0, 20);
    }
}
