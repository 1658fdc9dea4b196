package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Json;
import dev.trawl.local.faults.Faults;
import dev.trawl.local.faults.SdkFaults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Principle 1 under the failures AWS really produces: every input line ends as exactly one row, in order, with exact
 * counters, the job terminal and one webhook event id, while the local runtime injects faults: every SQS message
 * delivered twice; workers killed after a random number of URLs; a planner crash between chunks; a finalizer crash
 * half-way through the result's upload; S3, DynamoDB and SQS sends failing at a random rate (some after taking
 * effect, some retried by the SDK after the service handled them); a poison chunk; the answer to the last chunk's
 * finalize claim lost, which that chunk's redelivery recovers within seconds; and the job stalled (a chunk or a
 * finalize request lost on the way, a plan request that could not be sent), which the reaper finds and drives on.
 * Planner and finalizer run again on a finished job change nothing.
 *
 * <p>On a stack of its own: a reaper every 2 s that drives on a job idle for 8 s, chunks of 100, result parts of
 * 6,000 bytes (so a result is several files), webhook retries from 1 s. Jobs have {@code trawl.chaos.urls} URLs (2,000 by
 * default; {@code -Pchaos} runs 10,000) and each scenario runs {@code trawl.chaos.rounds} times (1; 2 with -Pchaos).
 * Each scenario has a tenant of its own, so that a fault can pick its job's messages before the job id is known.
 */
class ChaosTest {
    static final int URLS = Integer.getInteger("trawl.chaos.urls", 2_000);
    static final int ROUNDS = Integer.getInteger("trawl.chaos.rounds", 1);
    private static final int STALL_AFTER_S = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(120).plusMillis(URLS * 20L);
    private static final List<String> SCENARIOS = List.of("twice", "killed", "planner", "finalizer", "flaky", "poison",
            "lostchunk", "lostplan", "lostfinalize", "claim", "hookretry");
    private static LocalRuntime runtime;
    private static TestSite site;
    private static WebhookReceiver hooks;
    private static final Map<String, Api> apis = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        site = new TestSite();
        hooks = new WebhookReceiver();
        Map<String, String> keys = new LinkedHashMap<>();
        SCENARIOS.forEach(name -> keys.put("test-key-chaos-" + name, "chaos-" + name));
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalStackExtension.template(), 0, keys,
                Set.of(site.hostAndPort(), hooks.hostAndPort()),
                SharedRuntimeExtension.withGenerousLimits(Map.of("ReaperSchedule", "rate(2 seconds)",
                        "StallAfterSeconds", Integer.toString(STALL_AFTER_S),
                        "WebhookRetryBaseSeconds", "1", "ChunkSize", Integer.toString(ChaosJob.CHUNK_SIZE),
                        "ResultSplitBytes", "6000")),
                true));
        SCENARIOS.forEach(name -> apis.put(name, new Api(runtime.apiUrl(), "test-key-chaos-" + name)));
        // Lost single messages (plan, finalize) go here: a queue no function reads.
        SdkFaults.lostMessagesGoTo(runtime.clients().sqs().createQueue(b -> b.queueName("ChaosSink")).queueUrl());
    }

    @AfterAll
    static void stop() {
        SdkFaults.clear();
        SdkFaults.lostMessagesGoTo(null);
        if (runtime != null) {
            runtime.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (site != null) {
            site.close();
        }
    }

    /** Faults are JVM-global: every one is off after each scenario, whatever happened in it. */
    @AfterEach
    void clearFaults() {
        SdkFaults.clear();
        Faults.of(runtime).duplicateDeliveries(false);
        Faults.of(runtime).kill(null, 0, Duration.ZERO, 0);
        Faults.of(runtime).poison(null, body -> false);
        Faults.of(runtime).failedMessagesReturnAfter(null);
    }

    /** A job of the scenario, its input uploaded (before any fault is on). */
    private static ChaosJob job(String scenario, int round) throws Exception {
        return new ChaosJob(apis.get(scenario), site, hooks, scenario + round, URLS).upload(Duration.ofMinutes(1));
    }

    private static String tenant(String scenario) {
        return "\"tenant\":\"chaos-" + scenario + "\"";
    }

    private static void log(String scenario, int round, ChaosJob job, ChaosJob.Outcome outcome, String more) {
        System.out.printf("CHAOS %s round %d: %d URLs in %.1f s, %d site hits for %d fetchable lines, %d result parts,"
                        + " %d API error answers, %d webhook POSTs; %s%n", scenario, round, URLS,
                outcome.took().toMillis() / 1000.0, job.siteHits(), job.fetchable(), outcome.job().get("result_parts").size(),
                job.apiErrors(), hooks.received(scenario + round).size(), more);
    }

    @Test
    void everySqsMessageDeliveredTwice() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("twice", round);
            hooks.failFirst("twice" + round, 1); // and the webhook's first attempt answered 500
            Faults.of(runtime).duplicateDeliveries(true);
            ChaosJob.Outcome outcome;
            try {
                outcome = job.runAndCheck(TIMEOUT);
            } finally {
                Faults.of(runtime).duplicateDeliveries(false);
            }
            // Every chunk really was fetched by two deliveries at once, and counted once.
            assertTrue(job.siteHits() > job.fetchable(), "hits " + job.siteHits());
            assertTrue(hooks.received("twice" + round).size() >= 2, "the first webhook attempt failed; a retry followed");
            assertPlanningAndFinalizingAgainChangeNothing("twice", outcome);
            log("twice", round, job, outcome, "every message delivered twice");
        }
    }

    @Test
    void workersKilledAfterARandomNumberOfUrls() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("killed", round);
            int killsBefore = Faults.of(runtime).kills();
            Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
            // Half the deliveries of a chunk's first three receives die within 0.8 s: before, during or after fetching;
            // planner and finalizer runs too, before, while or after they write.
            Faults.of(runtime).kill(Set.of("WorkerFunction", "PlannerFunction", "FinalizerFunction"), 0.5,
                    Duration.ofMillis(800), 3);
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            int kills = Faults.of(runtime).kills() - killsBefore;
            assertTrue(kills > 0, "no invocation was killed");
            assertTrue(job.siteHits() > job.fetchable(), "killed workers' URLs are fetched again: hits " + job.siteHits());
            log("killed", round, job, outcome, kills + " invocations killed");
        }
    }

    @Test
    void plannerCrashesBetweenChunks() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("planner", round);
            int injectedBefore = SdkFaults.injected();
            Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
            int late = Math.min(15, job.chunks() - 1);
            String lateChunk = String.format("/chunks/%07d.ndjson", late);
            // First run: dies writing a late chunk file (no chunk queued yet). Second run: dies sending the second
            // batch of chunks, after the first ten were queued. Third run: ends.
            SdkFaults.failNext("PutObject", 1, request -> request instanceof PutObjectRequest put && put.key().endsWith(lateChunk));
            SdkFaults.failNext("SendMessageBatch", 1, request -> request instanceof SendMessageBatchRequest batch
                    && batch.entries().getFirst().messageBody().contains(tenant("planner"))
                    && batch.entries().getFirst().messageBody().contains("\"chunk\":10,"));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(2, SdkFaults.injected() - injectedBefore, "both planner crashes happened");
            log("planner", round, job, outcome, "planner crashed twice");
        }
    }

    @Test
    void finalizerCrashesHalfWayThroughTheResultUpload() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("finalizer", round);
            int injectedBefore = SdkFaults.injected();
            Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
            String results = "results/chaos-finalizer/";
            // First run: dies uploading the result's third part, two parts written. Second run: dies on the manifest,
            // every part written again. Third run: marks the job completed and dies queueing its webhook event.
            // Fourth run: finds the job completed without an event sent, and sends it.
            SdkFaults.failNext("PutObject", 1, request -> request instanceof PutObjectRequest put
                    && put.key().startsWith(results) && put.key().contains("/result-00003."));
            SdkFaults.failNext("PutObject", 1, request -> request instanceof PutObjectRequest put
                    && put.key().startsWith(results) && put.key().endsWith("/manifest.json"));
            String webhookQueue = runtime.resource("WebhookQueue");
            SdkFaults.failNext("SendMessage", 1, request -> request instanceof SendMessageRequest send
                    && send.queueUrl().equals(webhookQueue) && send.messageBody().contains("chaos-finalizer"));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(3, SdkFaults.injected() - injectedBefore, "the three finalizer crashes happened");
            assertTrue(outcome.job().get("result_parts").size() >= 3, "the result is several parts");
            assertPlanningAndFinalizingAgainChangeNothing("finalizer", outcome);
            log("finalizer", round, job, outcome, "finalizer crashed three times");
        }
    }

    @Test
    void s3DynamoDbAndSqsSendsFailAtRandom() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("flaky", round);
            int injectedBefore = SdkFaults.injected();
            int answersLostBefore = SdkFaults.answersLost();
            int attemptsLostBefore = SdkFaults.attemptsLost();
            Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
            // 10% of the calls fail, half of those that change something after taking effect. A message's fourth and
            // later deliveries are spared, so that passing faults never use up a redrive policy by themselves (the
            // poison scenario covers that). The pollers' own SQS calls are not among them.
            SdkFaults.spareFromReceive(4);
            SdkFaults.failAtRate(0.1, Set.of(
                    "PutObject", "GetObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload",
                    "DeleteObject", "DeleteObjects", "ListObjectsV2",
                    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "TransactWriteItems",
                    "SendMessage", "SendMessageBatch"), 0.5);
            // And 10% of the HTTP attempts that change something lose their answer after the service handled them:
            // the SDK sends the same request again (a conditional update then finds its own change).
            SdkFaults.loseAttemptAnswersAtRate(0.1, Set.of("TransactWriteItems", "UpdateItem", "PutItem", "PutObject",
                    "SendMessage", "SendMessageBatch"));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            int injected = SdkFaults.injected() - injectedBefore;
            assertTrue(injected >= 10, "faults injected: " + injected);
            log("flaky", round, job, outcome, injected + " calls failed, " + (SdkFaults.answersLost() - answersLostBefore)
                    + " of them after taking effect; " + (SdkFaults.attemptsLost() - attemptsLostBefore)
                    + " attempts' answers lost and retried by the SDK");
        }
    }

    @Test
    void aPoisonChunkEndsAsChunkFailedRows() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("poison", round).deadChunks(Set.of(3));
            Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
            Faults.of(runtime).poison("WorkerFunction", body -> body.contains(tenant("poison")) && body.contains("\"chunk\":3,"));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            for (int line = 301; line <= 400; line++) {
                assertEquals(0, site.hits("/page/poison" + round + "-" + line) + site.hits("/missing/poison" + round + "-" + line)
                        + site.hits("/slow/poison" + round + "-" + line), "line " + line + " of the poison chunk was fetched");
            }
            log("poison", round, job, outcome, "chunk 3 dead");
        }
    }

    @Test
    void aChunkLostBetweenPlannerAndQueueIsSentAgainByTheReaper() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("lostchunk", round);
            int lostBefore = SdkFaults.lost();
            AtomicBoolean once = new AtomicBoolean();
            SdkFaults.loseMessages(body -> body.contains(tenant("lostchunk")) && body.contains("\"chunk\":7,")
                    && once.compareAndSet(false, true));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(1, SdkFaults.lost() - lostBefore, "one chunk message lost");
            assertStalledThenDrivenOn(outcome);
            log("lostchunk", round, job, outcome, "chunk 7 lost, sent again by the reaper");
        }
    }

    @Test
    void aPlanRequestThatCouldNotBeSentIsAskedForAgainByTheClientsRetry() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("lostplan", round);
            int injectedBefore = SdkFaults.injected();
            String planQueue = runtime.resource("PlanQueue");
            // The job is recorded, then asking for its plan fails: the API answers 500, the client sends the same
            // request with the same Idempotency-Key and gets the job back, and that replay asks for the plan again
            // (the reaper would, after its stall time, if the client never came back).
            SdkFaults.failNext("SendMessage", 1, request -> request instanceof SendMessageRequest send
                    && send.queueUrl().equals(planQueue) && send.messageBody().contains(tenant("lostplan")));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(1, SdkFaults.injected() - injectedBefore, "the plan request failed");
            assertTrue(job.apiErrors() >= 1, "the client created the job again");
            log("lostplan", round, job, outcome, "plan request failed at creation, asked for again by the replay");
        }
    }

    @Test
    void aLostFinalizeRequestIsAskedForAgainByTheReaper() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("lostfinalize", round);
            int lostBefore = SdkFaults.lost();
            String finalizeQueue = runtime.resource("FinalizeQueue");
            AtomicBoolean once = new AtomicBoolean();
            SdkFaults.loseMessages((queue, body) -> queue.equals(finalizeQueue) && body.contains(tenant("lostfinalize"))
                    && once.compareAndSet(false, true));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(1, SdkFaults.lost() - lostBefore, "the finalize request was lost");
            assertStalledThenDrivenOn(outcome);
            log("lostfinalize", round, job, outcome, "finalize request lost, asked for again by the reaper");
        }
    }

    @Test
    void theAnswerToTheLastChunksFinalizeClaimIsLost() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosJob job = job("claim", round);
            int injectedBefore = SdkFaults.injected();
            // The worker that commits the last chunk claims finalize; the claim is made but its answer is lost, a
            // transient failure: the chunk comes back within seconds (the worker's own short redelivery delay, no
            // fault of the runtime's), is seen committed, recognises the claim as its own and asks for finalize.
            SdkFaults.failNextAfter("UpdateItem", 1, request -> request instanceof UpdateItemRequest update
                    && update.key().get("pk").s().equals("T#chaos-claim")
                    && update.updateExpression().contains("finalize_state = :running")
                    && update.conditionExpression() != null
                    && update.conditionExpression().contains("chunks_done = chunks_total"));
            ChaosJob.Outcome outcome = job.runAndCheck(TIMEOUT);
            clearFaults();
            assertEquals(1, SdkFaults.injected() - injectedBefore, "the claim's answer was lost");
            assertNeverStalled(outcome);
            log("claim", round, job, outcome, "finalize claim's answer lost, finalize asked for by the claimant's retry");
        }
    }

    /**
     * A failed webhook attempt whose retry could not be queued: the attempt is recorded, queueing the next one fails,
     * the message comes back and must lead to the retry (without a second POST of the same attempt).
     */
    @Test
    void aWebhookRetryThatCouldNotBeQueuedIsQueuedAgain() throws Exception {
        ChaosJob job = job("hookretry", 1);
        Faults.of(runtime).failedMessagesReturnAfter(Duration.ofSeconds(1));
        hooks.failFirst("hookretry1", 1);
        String webhookQueue = runtime.resource("WebhookQueue");
        SdkFaults.failNext("SendMessage", 1, request -> request instanceof SendMessageRequest send
                && send.queueUrl().equals(webhookQueue) && send.messageBody().contains(tenant("hookretry"))
                && send.messageBody().contains("\"attempt\":2"));
        ChaosJob.Outcome outcome = job.runAndCheck(Duration.ofSeconds(60).plusMillis(URLS * 20L));
        log("hookretry", 1, job, outcome, "webhook retry could not be queued once");
    }

    /** A job that never sat unchanged long enough for the reaper to drive it on: it was recovered without it. */
    private static void assertNeverStalled(ChaosJob.Outcome outcome) {
        long longestStill = longestStill(outcome);
        assertTrue(longestStill * 250 < (STALL_AFTER_S - 2) * 1000L, "the job stalled: " + longestStill + " polls still");
    }

    /** A job that lost a message sat unchanged for the stall time before the reaper drove it on. */
    private static void assertStalledThenDrivenOn(ChaosJob.Outcome outcome) {
        assertTrue(outcome.took().toSeconds() >= STALL_AFTER_S, "took " + outcome.took());
        long longestStill = longestStill(outcome);
        // Polled every 250 ms or more: the job showed no change for at least most of the stall time.
        assertTrue(longestStill * 250 >= (STALL_AFTER_S - 2) * 1000L, "the job never stalled: " + longestStill + " polls still");
    }

    /** The most polls in a row that saw the job unchanged (its progress and phases). */
    private static long longestStill(ChaosJob.Outcome outcome) {
        long longestStill = 0;
        long stillSince = 0;
        JsonNode previous = null;
        for (int i = 0; i < outcome.seen().size(); i++) {
            JsonNode state = outcome.seen().get(i);
            if (previous == null || !state.get("urls_done").equals(previous.get("urls_done"))
                    || !state.at("/phases").equals(previous.at("/phases"))) {
                stillSince = i;
            }
            longestStill = Math.max(longestStill, i - stillSince);
            previous = state;
        }
        return longestStill;
    }

    /**
     * Planner and finalizer are idempotent: asked again for a finished job (as a late duplicate would), nothing about
     * it changes: not its counters, not its result files, not its webhook deliveries.
     */
    private static void assertPlanningAndFinalizingAgainChangeNothing(String scenario, ChaosJob.Outcome outcome)
            throws Exception {
        Api api = apis.get(scenario);
        int deliveriesBefore = settledDeliveries(api, outcome.id());
        for (String function : List.of("PlannerFunction", "FinalizerFunction", "PlannerFunction", "FinalizerFunction")) {
            SQSBatchResponse response = (SQSBatchResponse) runtime.invoke(function,
                    sqsEvent(Json.write(new JobRef("chaos-" + scenario, outcome.id()))));
            assertTrue(response.getBatchItemFailures().isEmpty(), function + " failed again");
        }
        JsonNode again = api.get("/v1/jobs/" + outcome.id()).body();
        for (String field : List.of("status", "urls_total", "urls_done", "urls_ok", "urls_errored", "urls_skipped",
                "phases", "completed_at")) {
            assertEquals(outcome.job().get(field), again.get(field), field);
        }
        assertEquals(outcome.job().get("result_parts").size(), again.get("result_parts").size());
        for (int i = 0; i < again.get("result_parts").size(); i++) {
            assertEquals(outcome.job().get("result_parts").get(i).get("sha256"), again.get("result_parts").get(i).get("sha256"));
        }
        assertEquals(Api.stable(outcome.rows()), Api.stable(ChaosJob.download(again)));
        Thread.sleep(1_500); // a webhook event queued by mistake would be sent by now
        assertEquals(deliveriesBefore, api.get("/v1/jobs/" + outcome.id() + "/webhook-deliveries").body()
                .get("deliveries").size(), "no new webhook attempt");
    }

    /**
     * How many webhook attempts the job has once no more come for 3 s. (A retry that arrives before it is due is sent
     * on with its delay cut to whole seconds, often 0, and comes straight back; delivered twice, each copy sends it
     * on: the copies multiply until it is due, each then POSTs. See the report of this suite.)
     */
    private static int settledDeliveries(Api api, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int count = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = api.get("/v1/jobs/" + id + "/webhook-deliveries").body().get("deliveries").size();
            if (now != count) {
                count = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                return count;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("webhook attempts of " + id + " never stopped coming: " + count);
    }

    private static SQSEvent sqsEvent(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(java.util.UUID.randomUUID().toString());
        message.setBody(body);
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        message.setMessageAttributes(Map.of());
        message.setEventSource("aws:sqs");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }
}
