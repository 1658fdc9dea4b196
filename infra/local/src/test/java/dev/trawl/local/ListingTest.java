package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.util.Ids;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paging over 2,500 jobs of one tenant with every kind of filter, checked against the full set: no job missing,
 * none twice, newest first, and never another tenant's.
 */
@ExtendWith(LocalStackExtension.class)
class ListingTest {
    private static final String TENANT = "pager";
    private static final String KEY = "test-key-pager";
    private static final int JOBS = 2_500;
    private static final JobStatus[] STATUSES = JobStatus.values();
    private static List<Job> seeded;

    @BeforeAll
    static void seed(LocalRuntime runtime) throws Exception {
        DynamoTable table = new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table"));
        new DynamoApiKeyStore(table).put(dev.trawl.core.auth.Authenticator.hashOf(KEY), TENANT);
        DynamoJobStore store = new DynamoJobStore(table);
        Ids ids = new Ids(Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < JOBS; i++) {
            JobStatus status = STATUSES[(i * 7 + i / 13) % STATUSES.length];
            String name = i % 357 == 11 ? "rare-" + i : "batch-" + (i % 3) + "-" + i;
            Job accepted = Job.accepted(ids.next("job_"), TENANT, name, now, JobInput.inline("work/none"), JobSettings.DEFAULTS, null);
            jobs.add(new Job(accepted.id(), TENANT, name, status, now, null, null, now, null, accepted.counters(), 0,
                    JobInput.inline("work/none"), JobSettings.DEFAULTS, null, accepted.planState(), null, accepted.fetchState(), 0,
                    accepted.finalizeState(), null, null, null, null));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> writes = new ArrayList<>();
            for (Job job : jobs) {
                writes.add(pool.submit(() -> store.create(job)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        }
        seeded = jobs;
    }

    /** Equal lists, reported by size and first difference rather than as thousands of ids. */
    private static void assertSameIds(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(what + ": first difference at " + i + ": expected " + expected.get(i) + " got "
                        + actual.get(i) + " (sizes " + expected.size() + " / " + actual.size() + ")");
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": sizes");
    }

    private static List<String> expected(Predicate<Job> filter) {
        return seeded.stream().filter(filter).sorted(Comparator.comparing(Job::id).reversed()).map(Job::id).toList();
    }

    /** Follows next_cursor to the end; returns every id seen and how many pages it took. */
    private record Listing(List<String> ids, int pages) {
    }

    private static Listing listAll(LocalRuntime runtime, String query) throws Exception {
        Api api = new Api(runtime.apiUrl(), KEY);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Answer page = api.get("/v1/jobs?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.raw().body());
            for (JsonNode job : page.body().get("jobs")) {
                ids.add(job.get("id").asText());
            }
            cursor = page.body().get("next_cursor").isNull() ? null : page.body().get("next_cursor").asText();
            pages++;
            assertTrue(pages < 200, "paging does not end");
        } while (cursor != null);
        return new Listing(ids, pages);
    }

    @Test
    void everyJobOnceNewestFirst(LocalRuntime runtime) throws Exception {
        Listing all = listAll(runtime, "limit=100");
        assertSameIds(expected(job -> true), all.ids(), "all");
        assertEquals(25, all.pages(), "full pages: 2,500 jobs in 25 pages of 100");
    }

    @Test
    void statusFiltersInEveryForm(LocalRuntime runtime) throws Exception {
        assertSameIds(expected(job -> job.status() == JobStatus.COMPLETED), listAll(runtime, "status=completed&limit=50").ids(), "status=completed&limit=50");
        assertSameIds(expected(job -> !job.status().terminal()), listAll(runtime, "status=active&limit=37").ids(), "status=active&limit=37");
        assertSameIds(expected(job -> job.status().terminal()), listAll(runtime, "status=terminal&limit=1000").ids(), "status=terminal&limit=1000");
        assertSameIds(expected(job -> Set.of(JobStatus.FAILED, JobStatus.CANCELLED).contains(job.status())), listAll(runtime, "status=failed&status=cancelled&limit=64").ids(), "status=failed&status=cancelled&limit=64");
        assertSameIds(expected(job -> Set.of(JobStatus.QUEUED, JobStatus.FAILED).contains(job.status())), listAll(runtime, "status=queued,failed&limit=99").ids(), "status=queued,failed&limit=99");
        assertSameIds(expected(job -> true), listAll(runtime, "status=all&limit=500").ids(), "status=all&limit=500");
        Listing pages = listAll(runtime, "status=running&limit=10");
        assertSameIds(expected(job -> job.status() == JobStatus.RUNNING), pages.ids(), "running");
        assertEquals((pages.ids().size() + 9) / 10, pages.pages(), "a status filter fills its pages");
    }

    @Test
    void aNamePrefixThatMatchesLittleStillReachesEveryMatchWithinBoundedReads(LocalRuntime runtime) throws Exception {
        List<String> rare = expected(job -> job.name().startsWith("rare-"));
        assertTrue(rare.size() >= 5 && rare.size() < 10, "seeded " + rare.size());
        Listing listing = listAll(runtime, "name_prefix=rare-&limit=50");
        assertSameIds(rare, listing.ids(), "rare");
        // Each call reads at most a bounded number of jobs, so 2,500 jobs take a handful of calls, never one huge read.
        assertTrue(listing.pages() >= 2 && listing.pages() <= 8, "pages " + listing.pages());
        assertSameIds(expected(job -> job.name().startsWith("rare-") && job.status().terminal()), listAll(runtime, "name_prefix=rare-&status=terminal").ids(), "name_prefix=rare-&status=terminal");
        assertSameIds(expected(job -> job.name().startsWith("batch-1-")), listAll(runtime, "name_prefix=" + URLEncoder.encode("batch-1-", StandardCharsets.UTF_8) + "&limit=200").ids(), "name_prefix= + URLEncoder.encode(batch-1");
    }

    @Test
    void aCursorWorksOnlyForItsTenant(LocalRuntime runtime) throws Exception {
        Api pager = new Api(runtime.apiUrl(), KEY);
        String cursor = pager.get("/v1/jobs?limit=10").body().get("next_cursor").asText();
        Api.Answer stolen = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY).get("/v1/jobs?cursor=" + cursor);
        assertEquals(400, stolen.status());
        assertEquals("cursor", stolen.body().get("error").get("field").asText());
        String edited = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("A") ? "BB" : "AA");
        assertEquals(400, pager.get("/v1/jobs?cursor=" + edited).status());
        assertEquals(400, pager.get("/v1/jobs?status=exploded").status());
        assertEquals(400, pager.get("/v1/jobs?name_prefix=").status());
    }
}
