package dev.trawl.core.testing.contract;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.testing.JobBuilder;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JobSweeps}: live jobs of every tenant past their deadline, or unchanged for a while. The sweeps read across
 * tenants, so in a table that other tests share each test keeps to an era of its own: earlier than every job of
 * the tests before it, so that no one else's job is due, or idle, before its own. The case named
 * {@code ...AsDynamoDbRefusesIt} is a write DynamoDB's condition refuses.
 */
public abstract class JobSweepsContract extends JobTableContract {
    private static final AtomicInteger ERAS = new AtomicInteger();
    private static final Duration ERA = Duration.ofDays(10);
    private Instant era;

    @BeforeEach
    final void takeAnEra() {
        era = ContractJobs.T0.minus(Duration.ofDays(3650)).minus(ERA.multipliedBy(ERAS.incrementAndGet()));
    }

    private Job created(String tenant, long createdAfterSeconds, long lifetimeSeconds) {
        Job job = ContractJobs.accepted(tenant, "sweep", era.plusSeconds(createdAfterSeconds),
                TestJobs.settings().maxLifetimeSeconds(lifetimeSeconds).build());
        jobs.create(job);
        return job;
    }

    private Instant at(long seconds) {
        return era.plusSeconds(seconds);
    }

    private static JobRef ref(Job job) {
        return new JobRef(job.tenant(), job.id());
    }

    /** Every overdue job at {@code now}, through every page of the sweep. */
    private Set<JobRef> overdue(Instant now) {
        return new HashSet<>(found(drain((cursor, n) -> sweeps.overduePage(now, cursor, n), 100)));
    }

    /** Every job idle since {@code before}, through every page of the sweep. */
    private Set<JobRef> idle(Instant before) {
        return new HashSet<>(found(drain((cursor, n) -> sweeps.idlePage(before, cursor, n), 100)));
    }

    @Test
    void overdueFindsLiveJobsOfEveryTenantPastTheirDeadline() {
        Job second = created(tenant, 0, 200);
        Job first = created(ContractJobs.newTenant(), 50, 100);
        Job third = created(tenant, 10, 300);
        assertEquals(Set.of(), overdue(at(150)), "a deadline is not passed at its own instant");
        assertEquals(Set.of(ref(first)), overdue(at(150).plusMillis(1)));
        assertEquals(Set.of(ref(first), ref(second)), overdue(at(301)));
        assertEquals(Set.of(ref(first), ref(second), ref(third)), overdue(at(311)));
    }

    @Test
    void aJobLeavesTheOverdueListWhenItEndsNotWhenItStops() {
        Job finished = created(tenant, 0, 100);
        Job failed = created(tenant, 1, 100);
        Job cancelled = created(tenant, 2, 100);
        Job expired = created(tenant, 3, 100);
        jobs.markPlanned(tenant, finished.id(), 1, 0, 1, at(5));
        jobs.cancel(tenant, cancelled.id(), at(5));
        jobs.expire(tenant, expired.id(), at(5));
        assertEquals(Set.of(ref(finished), ref(failed), ref(cancelled), ref(expired)), overdue(at(200)),
                "stopping jobs stay until they end");
        assertTrue(jobs.finish(tenant, finished.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), at(6)));
        assertTrue(jobs.failPlanning(tenant, failed.id(), new Failure("input_unreadable", "gone"), at(6)));
        assertTrue(jobs.finish(tenant, cancelled.id(), JobStatus.CANCELLING, JobStatus.CANCELLED, null, List.of(), at(6)));
        assertEquals(Set.of(ref(expired)), overdue(at(200)));
    }

    @Test
    void aJobCreatedEndedIsNeverSwept() {
        Job ended = JobBuilder.from(ContractJobs.accepted(tenant, "ended", at(0), JobSettings.DEFAULTS))
                .status(JobStatus.COMPLETED).build();
        jobs.create(ended);
        assertTrue(!overdue(at(1_000_000)).contains(ref(ended)));
        assertTrue(!idle(at(1_000_000)).contains(ref(ended)));
    }

    @Test
    void idleListsLiveJobsUnchangedSinceBefore() {
        Job early = created(tenant, 1, 3600);
        Job late = created(ContractJobs.newTenant(), 5, 3600);
        Job ended = created(tenant, 0, 3600);
        jobs.markPlanned(tenant, ended.id(), 1, 0, 1, at(0));
        jobs.finish(tenant, ended.id(), JobStatus.RUNNING, JobStatus.COMPLETED, null, List.of(), at(0));
        assertEquals(Set.of(), idle(at(1)), "changed at the instant itself: not before it");
        assertEquals(Set.of(ref(early)), idle(at(3)));
        assertEquals(Set.of(ref(early), ref(late)), idle(at(10)));
    }

    @Test
    void aTouchedJobWaitsAgainAndAStoppingOneIsStillSwept() {
        Job job = created(tenant, 0, 3600);
        Job stopping = created(tenant, 0, 3600);
        jobs.cancel(tenant, stopping.id(), at(1));
        sweeps.touch(tenant, job.id(), at(20));
        assertEquals(at(20), find(job).updatedAt());
        assertEquals(Set.of(ref(stopping)), idle(at(10)));
        assertEquals(Set.of(ref(job), ref(stopping)), idle(at(21)));
        sweeps.touch(tenant, stopping.id(), at(30));
        assertEquals(Set.of(ref(job)), idle(at(21)));
    }

    @Test
    void touchingAnEndedJobIsRefusedAsDynamoDbRefusesIt() {
        Job job = created(tenant, 0, 3600);
        jobs.failPlanning(tenant, job.id(), new Failure("input_unreadable", "gone"), at(1));
        sweeps.touch(tenant, job.id(), at(50));
        assertEquals(at(1), find(job).updatedAt());
        Job live = created(tenant, 0, 3600);
        sweeps.touch(ContractJobs.newTenant(), live.id(), at(50));
        assertEquals(at(0), find(live).updatedAt(), "another tenant's touch changes nothing");
        sweeps.touch(tenant, TestJobs.newId(), at(50));
        assertEquals(Set.of(ref(live)), idle(at(10)), "and made no job");
    }

    /** Every page of a sweep from the start, until the store says it went through the whole index. */
    private List<JobSweeps.Page> drain(BiFunction<String, Integer, JobSweeps.Page> read, int limit) {
        List<JobSweeps.Page> pages = new ArrayList<>();
        String cursor = null;
        do {
            JobSweeps.Page page = read.apply(cursor, limit);
            assertTrue(page.read() <= limit, "a page reads at most its limit: " + page.read());
            assertTrue(page.jobs().size() <= page.read(), "a page finds no more than it read");
            pages.add(page);
            cursor = page.next();
            assertTrue(pages.size() < 10_000, "the sweep ends");
        } while (cursor != null);
        return pages;
    }

    private static List<JobRef> found(List<JobSweeps.Page> pages) {
        return pages.stream().flatMap(page -> page.jobs().stream()).toList();
    }

    @Test
    void overduePagesGoThroughEveryOverdueJobOnceWithinTheirLimit() {
        List<Job> due = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            due.add(created(i % 2 == 0 ? tenant : ContractJobs.newTenant(), i, 100));
        }
        Job notYet = created(tenant, 0, 10_000);
        for (int limit : new int[]{1, 2, 100}) {
            List<JobRef> refs = found(drain((cursor, n) -> sweeps.overduePage(at(500), cursor, n), limit));
            assertEquals(refs.size(), new HashSet<>(refs).size(), "no job twice, limit " + limit);
            assertEquals(new HashSet<>(due.stream().map(JobSweepsContract::ref).toList()), new HashSet<>(refs),
                    "every overdue job, and only those, limit " + limit);
            assertTrue(!refs.contains(ref(notYet)));
        }
    }

    @Test
    void idlePagesReadEntriesWhateverTheirAgeAndFindTheIdleOnes() {
        Job early = created(tenant, 1, 3600);
        Job late = created(ContractJobs.newTenant(), 5, 3600);
        Job ended = created(tenant, 0, 3600);
        jobs.failPlanning(tenant, ended.id(), new Failure("input_unreadable", "gone"), at(0));
        for (int limit : new int[]{1, 3, 100}) {
            List<JobSweeps.Page> pages = drain((cursor, n) -> sweeps.idlePage(at(3), cursor, n), limit);
            assertEquals(List.of(ref(early)), found(pages), "limit " + limit);
            List<JobRef> both = found(drain((cursor, n) -> sweeps.idlePage(at(10), cursor, n), limit));
            assertEquals(Set.of(ref(early), ref(late)), new HashSet<>(both), "limit " + limit);
            assertEquals(2, both.size());
        }
    }

    @Test
    void aSweepsCursorIsKeptPerPassUntilForgotten() {
        String overdue = "contract-overdue-" + tenant;
        String idle = "contract-idle-" + tenant;
        assertEquals(null, sweeps.cursor(overdue), "none yet");
        created(tenant, 0, 100);
        created(tenant, 1, 100);
        JobSweeps.Page first = sweeps.overduePage(at(500), null, 1);
        String place = first.next();
        assertTrue(place != null, "a page of one, with more behind it, has a next page");
        sweeps.saveCursor(overdue, place);
        sweeps.saveCursor(idle, "another place");
        assertEquals(place, sweeps.cursor(overdue));
        assertEquals("another place", sweeps.cursor(idle));
        sweeps.saveCursor(overdue, null);
        assertEquals(null, sweeps.cursor(overdue), "forgotten: the next run starts over");
        assertEquals("another place", sweeps.cursor(idle));
        sweeps.saveCursor(overdue, null);
        assertEquals(null, sweeps.cursor(overdue), "forgetting twice is harmless");
    }

    @Test
    void aPageFromAKeptCursorContinuesAfterIt() {
        for (int i = 0; i < 5; i++) {
            created(tenant, i, 100);
        }
        List<JobRef> all = found(drain((cursor, n) -> sweeps.overduePage(at(500), cursor, n), 100));
        JobSweeps.Page first = sweeps.overduePage(at(500), null, 2);
        List<JobRef> after = found(drain((cursor, n) -> sweeps.overduePage(at(500), cursor == null ? first.next() : cursor, n), 100));
        List<JobRef> joined = new ArrayList<>(first.jobs());
        joined.addAll(after);
        assertEquals(new HashSet<>(all), new HashSet<>(joined), "none skipped");
        assertEquals(joined.size(), new HashSet<>(joined).size(), "none twice");
    }
}
