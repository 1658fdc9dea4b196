package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-tenant fairness case (issue 11 item 7) on the local stack: tenant A's 20 jobs, created at once, queue 20
 * plan requests; tenant B's job, created right after, is planned before A's backlog drains, because plan messages carry
 * their tenant as {@code MessageGroupId} and the plan queue delivers as an SQS fair queue ({@link FairQueue}): A, with
 * all of the recent processing time, is a noisy neighbour and B's message goes first. A's plans are held a second
 * each on the way in (a slow planner, from {@link InvocationFaults}), so that the order, not the machine's speed, is
 * what the test sees; arriving last on a queue served oldest first, B's plan would wait for all of A's. The whole
 * contended/solo time is the benchmark's ({@code bench/fairness.sh}), not a timing assertion here.
 */
class FairnessTest {
    private static final String KEY_A = "fair-test-key-a";
    private static final String KEY_B = "fair-test-key-b";
    private static final int A_JOBS = 20;
    private static final Duration SLOW_PLAN = Duration.ofSeconds(1);

    private static TestSite site;
    private static LocalRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        site = new TestSite();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalStackExtension.template(), 0,
                Map.of(KEY_A, "fair-a", KEY_B, "fair-b"), site.hostsAndPorts(),
                SharedRuntimeExtension.withGenerousLimits(Map.of()), true));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (site != null) {
            site.close();
        }
    }

    /** Records the planner's deliveries in order, holding each of tenant A's for {@link #SLOW_PLAN}. */
    private static final class PlanOrder implements InvocationFaults {
        private final List<String> tenants = new ArrayList<>();

        @Override
        public boolean crashesOn(String function, String body) {
            if (!function.equals("PlannerFunction")) {
                return false;
            }
            String tenant = body.contains("\"fair-a\"") ? "fair-a" : body.contains("\"fair-b\"") ? "fair-b" : body;
            synchronized (tenants) {
                tenants.add(tenant);
            }
            if (tenant.equals("fair-a")) {
                try {
                    Thread.sleep(SLOW_PLAN);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }

        List<String> seen() {
            synchronized (tenants) {
                return List.copyOf(tenants);
            }
        }
    }

    @Test
    void aTenantsJobIsPlannedBeforeAnotherTenantsBacklogOfPlansDrains() throws Exception {
        PlanOrder order = new PlanOrder();
        runtime.faults(order);
        try {
            Api tenantA = new Api(runtime.apiUrl(), KEY_A);
            Api tenantB = new Api(runtime.apiUrl(), KEY_B);
            List<String> aIds = createAll(tenantA);
            int aPlansDeliveredBeforeB = order.seen().size();
            String bId = create(tenantB, "b", 40);
            JsonNode b = tenantB.awaitTerminal(bId, Duration.ofMinutes(2));
            assertEquals("completed", b.get("status").asText(), b.toString());
            assertEquals(40, b.get("urls_ok").asInt(), b.toString());
            for (String id : aIds) {
                JsonNode a = tenantA.awaitTerminal(id, Duration.ofMinutes(2));
                assertEquals("completed", a.get("status").asText(), a.toString());
            }
            List<String> seen = order.seen();
            assertEquals(A_JOBS + 1, seen.size(), "each job planned once: " + seen);
            int bAt = seen.indexOf("fair-b");
            int aAfterB = seen.size() - 1 - bAt;
            int aWaitingWhenBArrived = A_JOBS - aPlansDeliveredBeforeB;
            assertTrue(aWaitingWhenBArrived >= 10, "A's backlog had drained before B's job was created ("
                    + aPlansDeliveredBeforeB + " of A's plans delivered): the test saw nothing; " + seen);
            // B's plan goes to the next free poller; one of A's may have been taken in the same instant.
            assertTrue(bAt <= aPlansDeliveredBeforeB + 1, "B's plan was delivered " + (bAt - aPlansDeliveredBeforeB)
                    + " deliveries after it was queued, behind A's backlog: " + seen);
            assertTrue(aAfterB >= aWaitingWhenBArrived - 1, "A's plans after B's: " + aAfterB + " of the "
                    + aWaitingWhenBArrived + " waiting; " + seen);
        } finally {
            runtime.faults(InvocationFaults.NONE);
        }
    }

    /** A's jobs, created at once, each on its own thread. */
    private static List<String> createAll(Api api) throws Exception {
        List<Future<String>> created = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int job = 1; job <= A_JOBS; job++) {
                String name = "a" + job;
                created.add(threads.submit(() -> create(api, name, 20)));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> id : created) {
            ids.add(id.get());
        }
        return ids;
    }

    private static String create(Api api, String name, int urls) throws Exception {
        ObjectNode body = Json.object();
        body.put("name", name);
        ArrayNode list = body.putObject("input").putArray("urls");
        for (int i = 1; i <= urls; i++) {
            list.add(site.url(1 + i % TestSite.HOSTS, "/page/fair-" + name + "-" + i));
        }
        body.putObject("defaults").put("retries", 0).put("per_host_concurrency", 64);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        for (int again = 0; created.status() == 429 && again < 10; again++) {
            // 20 requests of a tenant at once race on its request bucket; a client waits as told and asks again
            Thread.sleep(1_000);
            created = api.post("/v1/jobs", Json.write(body));
        }
        assertEquals(202, created.status(), created.raw().body());
        return created.body().get("id").asText();
    }
}
