package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.util.Json;
import dev.trawl.core.view.JobJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.ids;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/jobs}: the caller's jobs newest first, a page at a time through cursors only the caller can use,
 * filtered by {@code status} (states, comma lists, repeats and the shorthands) and {@code name_prefix}; a
 * {@code limit} is plain digits from 1 to 1000, and any parameter given wrong or unknown is a 400 naming it.
 */
class ListJobsRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** The ids of these states among {@code ids}, as a listing orders them. */
    private static List<String> newestFirst(Map<JobStatus, String> ids, JobStatus... statuses) {
        return Arrays.stream(statuses).map(ids::get).sorted(Comparator.reverseOrder()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "abc", "-1", "", " 5", "1.5", "99999999999", "0x10"})
    void aBadLimitIsA400(String limit) throws Exception {
        assertInvalid(api.list(Map.of("limit", List.of(limit)), TENANT_A), "limit");
    }

    @Test
    void aRepeatedLimitIsA400() throws Exception {
        assertInvalid(api.list(Map.of("limit", List.of("5", "6")), TENANT_A), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "50", "1000"})
    void limitsInRangeAreAccepted(String limit) throws Exception {
        ApiResponse response = api.list(Map.of("limit", List.of(limit)), TENANT_A);
        assertEquals(200, response.status(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "\u0663", "05000", " 5", "1e2", "0x10"})
    void aLimitIsPlainAsciiDigits(String limit) throws Exception {
        assertError(api.list(Map.of("limit", List.of(limit)), TENANT_A), 400, "invalid_request");
    }

    @Test
    void anUnknownQueryParameterIsA400() throws Exception {
        assertInvalid(api.list(Map.of("colour", List.of("blue")), TENANT_A), "colour");
        assertInvalid(api.list(Map.of("limt", List.of("5")), TENANT_A), "limt");
    }

    @Test
    void listingPagesThroughTheTenantsOwnJobsNewestFirst() throws Exception {
        String a1 = api.createdId(TENANT_A);
        String b1 = api.createdId(TENANT_B);
        String a2 = api.createdId(TENANT_A);
        String a3 = api.createdId(TENANT_A);

        JsonNode first = json(api.list(Map.of("limit", List.of("2")), TENANT_A));
        assertEquals(List.of(a3, a2), ids(first));
        String cursor = first.get("next_cursor").textValue();
        assertNotNull(cursor);

        JsonNode second = json(api.list(Map.of("limit", List.of("2"), "cursor", List.of(cursor)), TENANT_A));
        assertEquals(List.of(a1), ids(second));
        assertTrue(second.get("next_cursor").isNull());

        JsonNode all = json(api.list(Map.of(), TENANT_A));
        assertEquals(List.of(a3, a2, a1), ids(all));
        assertTrue(all.get("next_cursor").isNull());
        assertEquals(Json.parse(Json.write(JobJson.of(api.jobs.find(TENANT_A, a3).orElseThrow(), api.clock.instant(),
                api.links.under(URI.create("https://" + ApiFixture.HOST))))),
                all.get("jobs").get(0));

        assertEquals(List.of(b1), ids(json(api.list(Map.of(), TENANT_B))));
        assertEquals(List.of(), ids(json(api.list(Map.of(), "tenant-c"))));
    }

    @Test
    void anotherTenantsCursorIsA400() throws Exception {
        api.createdId(TENANT_A);
        api.createdId(TENANT_A);
        String cursor = json(api.list(Map.of("limit", List.of("1")), TENANT_A)).get("next_cursor").textValue();
        assertNotNull(cursor);

        assertInvalid(api.list(Map.of("cursor", List.of(cursor)), TENANT_B), "cursor");
        assertInvalid(api.list(Map.of("cursor", List.of("garbage")), TENANT_A), "cursor");
        assertInvalid(api.list(Map.of("cursor", List.of(cursor.substring(1))), TENANT_A), "cursor");
    }

    @Test
    void listFiltersByOneStatus() throws Exception {
        Map<JobStatus, String> ids = api.oneOfEach();
        for (JobStatus status : JobStatus.values()) {
            assertEquals(List.of(ids.get(status)), ids(api.list(q("status", status.wire()), TENANT_A)), status.wire());
        }
    }

    @Test
    void listTakesCommaListsRepeatsAndCase() throws Exception {
        Map<JobStatus, String> ids = api.oneOfEach();

        assertEquals(newestFirst(ids, JobStatus.QUEUED, JobStatus.RUNNING),
                ids(api.list(q("status", "running,queued"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED),
                ids(api.list(q("status", "running", "status", "failed"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED),
                ids(api.list(q("status", "running,failed", "status", "cancelled"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING, JobStatus.FAILED),
                ids(api.list(q("status", " Running , FAILED "), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.RUNNING), ids(api.list(q("status", "running,running"), TENANT_A)));
    }

    @Test
    void activeTerminalAndAllAreShorthands() throws Exception {
        Map<JobStatus, String> ids = api.oneOfEach();
        List<String> every = newestFirst(ids, JobStatus.values());

        assertEquals(newestFirst(ids, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING),
                ids(api.list(q("status", "active"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED),
                ids(api.list(q("status", "terminal"), TENANT_A)));
        assertEquals(newestFirst(ids, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.RUNNING),
                ids(api.list(q("status", "terminal,running"), TENANT_A)));
        assertEquals(every, ids(api.list(q("status", "all"), TENANT_A)));
        assertEquals(every, ids(api.list(q("status", "active,terminal"), TENANT_A)));
        assertEquals(every, ids(api.list(q("status", "all,running"), TENANT_A)));
        assertEquals(every, ids(api.list(q(), TENANT_A)), "no status is all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"runing", "", "running,", ",running", "all,bogus", "done", "active;terminal", "queued running"})
    void anUnknownStatusIsA400(String status) throws Exception {
        assertInvalid(api.list(q("status", status), TENANT_A), "status");
    }

    @Test
    void anUnknownStatusAmongRepeatsIsA400() throws Exception {
        assertInvalid(api.list(q("status", "running", "status", "nope"), TENANT_A), "status");
    }

    @Test
    void listFiltersByNamePrefix() throws Exception {
        String n1 = api.stored(TENANT_A, JobStatus.RUNNING, "nightly-1").id();
        api.stored(TENANT_A, JobStatus.RUNNING, "weekly-1");
        String n2 = api.stored(TENANT_A, JobStatus.COMPLETED, "nightly-2").id();
        api.stored(TENANT_A, JobStatus.RUNNING, null);
        api.stored(TENANT_B, JobStatus.RUNNING, "nightly-theirs");

        assertEquals(List.of(n2, n1), ids(api.list(q("name_prefix", "nightly-"), TENANT_A)));
        assertEquals(List.of(n2, n1), ids(api.list(q("name_prefix", "n"), TENANT_A)));
        assertEquals(List.of(n1), ids(api.list(q("name_prefix", "nightly-1"), TENANT_A)));
        assertEquals(List.of(), ids(api.list(q("name_prefix", "Nightly"), TENANT_A)), "case-sensitive");
        assertEquals(List.of(), ids(api.list(q("name_prefix", "nightly-1x"), TENANT_A)));
        assertEquals(List.of(n2), ids(api.list(q("name_prefix", "nightly", "status", "terminal"), TENANT_A)));
        assertEquals(List.of(n1), ids(api.list(q("name_prefix", "nightly", "status", "running"), TENANT_A)));
    }

    @Test
    void aNamePrefixMustBe1To256Characters() throws Exception {
        assertInvalid(api.list(q("name_prefix", ""), TENANT_A), "name_prefix");
        assertInvalid(api.list(q("name_prefix", "n".repeat(257)), TENANT_A), "name_prefix");
        assertInvalid(api.list(q("name_prefix", "a", "name_prefix", "b"), TENANT_A), "name_prefix");
        String longest = "n".repeat(256);
        String id = api.stored(TENANT_A, JobStatus.RUNNING, longest).id();
        assertEquals(List.of(id), ids(api.list(q("name_prefix", longest), TENANT_A)));
    }

    @Test
    void pagingWithFiltersVisitsEveryMatchOnceNewestFirst() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            JobStatus status = i % 3 == 0 ? JobStatus.COMPLETED : i % 3 == 1 ? JobStatus.RUNNING : JobStatus.FAILED;
            String name = i % 2 == 0 ? "alpha-" + i : "beta-" + i;
            String id = api.stored(TENANT_A, status, name).id();
            if (status.terminal() && name.startsWith("alpha")) {
                expected.addFirst(id);
            }
        }
        assertEquals(5, expected.size());

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, List<String>> query = q("status", "completed,failed", "name_prefix", "alpha", "limit", "2");
            if (cursor != null) {
                query.put("cursor", List.of(cursor));
            }
            JsonNode page = json(api.list(query, TENANT_A));
            List<String> pageIds = ids(page);
            assertTrue(pageIds.size() <= 2);
            seen.addAll(pageIds);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").textValue();
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(expected, seen);
        assertEquals(3, pages);
    }
}
