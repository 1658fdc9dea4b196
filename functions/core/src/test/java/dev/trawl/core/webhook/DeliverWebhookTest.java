package dev.trawl.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.core.fetch.ConnectTunnel;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.fetch.WebhookPoster;
import dev.trawl.core.finalize.FinalizeJob;
import dev.trawl.core.job.Counters;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.metrics.ChunkStats;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.testing.InMemoryBlobStore;
import dev.trawl.core.testing.InMemoryJobStore;
import dev.trawl.core.testing.InMemorySecrets;
import dev.trawl.core.testing.MutableClock;
import dev.trawl.core.testing.RecordingWorkQueue;
import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.view.PartLinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job's terminal event: queued by the finalizer, signed, retried with backoff, recorded attempt by attempt. */
class DeliverWebhookTest {
    private static final PartLinks LINKS = new DownloadLinks("deliver-webhook-test-link-key-32b".getBytes(StandardCharsets.UTF_8))
            .under(URI.create("https://api.test"));
    private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
    private static final String TENANT = "acme";
    private static final String SECRET = "whsec_test-secret";

    private record Received(Map<String, String> headers, String body) {
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private InMemoryJobStore jobs;
    private InMemoryBlobStore blobs;
    private final InMemorySecrets secrets = new InMemorySecrets();
    private RecordingWorkQueue queue;
    private MutableClock clock;
    private HttpClient client;
    private ConnectTunnel tunnel;
    private DeliverWebhook deliver;
    private String hookUrl;

    @BeforeEach
    void setUp() throws IOException {
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
                headers.put("method", exchange.getRequestMethod());
                received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 204, -1);
            }
        });
        receiver.start();
        hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/trawl";
        jobs = new InMemoryJobStore();
        blobs = new InMemoryBlobStore();
        queue = new RecordingWorkQueue();
        clock = new MutableClock(NOW);
        TargetPolicy policy = TargetPolicy.publicOnly(Set.of("127.0.0.1"));
        tunnel = ConnectTunnel.start(policy);
        client = Fetcher.newHttpClient(tunnel);
        deliver = new DeliverWebhook(jobs, jobs, LINKS, secrets, queue, new WebhookPoster(client, policy), clock,
                DeliverWebhook.DEFAULT_BASE,
                DeliverWebhook.DEFAULT_CAP, DeliverWebhook.DEFAULT_WINDOW);
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
        client.close();
        tunnel.close();
        Log.redirect(System.out);
    }

    /** A two-row job with a webhook, finalized: the finalizer queues the first attempt. */
    private Job finishedJob(String url) throws Exception {
        JobSettings settings = JobSettings.DEFAULTS.withWebhook(new Webhook(url, SECRET));
        Job job = TestJobs.submit(jobs, blobs, secrets, TENANT, NOW, settings, List.of());
        assertTrue(jobs.markPlanned(TENANT, job.id(), 2, 0, 1, NOW));
        String key = BucketLayout.part(job.id(), 0, "att");
        blobs.putText(key, "{\"line\":1,\"status\":\"ok\"}\n{\"line\":2,\"status\":\"ok\"}\n");
        jobs.commitChunk(TENANT, job.id(), new ChunkResult(0, 2, key, new Counters(2, 0, 0), ChunkStats.NONE), NOW);
        assertTrue(jobs.claimFinalize(TENANT, job.id(), NOW));
        new FinalizeJob(jobs, jobs, jobs, blobs, queue, clock).finalizeJob(new JobRef(TENANT, job.id()));
        Job done = jobs.find(TENANT, job.id()).orElseThrow();
        assertEquals(JobStatus.COMPLETED, done.status());
        return done;
    }

    @Test
    void theFinalizerQueuesTheEventAndOneAttemptDeliversItSigned() throws Exception {
        Job job = finishedJob(hookUrl);
        assertEquals(List.of(WebhookTask.first(TENANT, job.id(), 1, NOW)), queue.webhooks);

        deliver.deliver(queue.webhooks.getFirst());

        assertEquals(1, received.size());
        Received got = received.getFirst();
        assertEquals("POST", got.headers().get("method"));
        assertEquals("job.completed", got.headers().get("Trawl-Event"));
        assertEquals(WebhookEvent.id(job.id()), got.headers().get("Trawl-Delivery"));
        assertEquals("application/json", got.headers().get("Content-Type"));
        assertTrue(WebhookSignature.verify(SECRET, got.headers().get("Trawl-Signature"), got.body(), NOW,
                WebhookSignature.DEFAULT_TOLERANCE), got.headers().get("Trawl-Signature"));
        JsonNode event = Json.parse(got.body());
        assertEquals(WebhookEvent.id(job.id()), event.get("id").asText());
        assertEquals("job.completed", event.get("type").asText());
        assertEquals(job.id(), event.get("data").get("id").asText());
        assertEquals("completed", event.get("data").get("status").asText());
        assertTrue(event.at("/data/download_url").asText().startsWith("https://api.test/v1/results/"),
                "the event's links are download links of the API, which outlive any signing credentials: " + event);
        assertEquals(job.linksExpireAt().toString(), event.at("/data/download_url_expires_at").asText());
        assertFalse(got.body().contains(SECRET), "the secret is never sent");
        assertEquals(List.of(new WebhookDelivery(WebhookEvent.id(job.id()), "job.completed", 1, NOW, 204,
                jobs.latest(TENANT, job.id(), 10).getFirst().latencyMs(), null)), jobs.latest(TENANT, job.id(), 10));
        assertEquals(1, queue.webhooks.size(), "no retry after a 2xx");
    }

    @Test
    void aFailedAttemptIsRetriedWithBackoffAndTheSameEventId() throws Exception {
        Job job = finishedJob(hookUrl);
        failuresLeft.set(2);

        deliver.deliver(queue.webhooks.getFirst());
        WebhookTask second = queue.webhooks.getLast();
        assertEquals(2, second.attempt());
        Duration firstWait = queue.webhookDelays.getLast();
        assertTrue(firstWait.compareTo(Duration.ofSeconds(54)) >= 0 && firstWait.compareTo(Duration.ofMinutes(1)) <= 0,
                firstWait.toString());

        clock.advance(firstWait);
        deliver.deliver(second);
        WebhookTask third = queue.webhooks.getLast();
        assertEquals(3, third.attempt());
        Duration secondWait = queue.webhookDelays.getLast();
        assertTrue(secondWait.compareTo(Duration.ofSeconds(108)) >= 0 && secondWait.compareTo(Duration.ofMinutes(2)) <= 0,
                "the wait doubles: " + secondWait);

        clock.advance(secondWait);
        deliver.deliver(third);
        assertEquals(3, received.size());
        assertEquals(1, received.stream().map(r -> r.headers().get("Trawl-Delivery")).distinct().count(), "one event id");
        List<WebhookDelivery> attempts = jobs.latest(TENANT, job.id(), 10);
        assertEquals(List.of(1, 2, 3), attempts.stream().map(WebhookDelivery::attempt).toList());
        assertEquals(List.of(503, 503, 204), attempts.stream().map(WebhookDelivery::httpStatus).toList());
        assertEquals("http_error", attempts.getFirst().error());
        assertNull(attempts.getLast().error());
        assertEquals(3, queue.webhooks.size(), "delivered: nothing more queued");
    }

    @Test
    void anAttemptOvertakenByALaterRunIsDroppedSoOnlyOneRunGoesOn() throws Exception {
        Job job = finishedJob(hookUrl);
        WebhookTask first = queue.webhooks.getFirst();
        failuresLeft.set(1);
        deliver.deliver(first);                       // fails: attempt 2 queued, due in a minute
        WebhookTask oldRun = queue.webhooks.getLast();
        WebhookTask redelivery = WebhookTask.first(TENANT, job.id(), 2, NOW.plusSeconds(5)); // as redeliver numbers it
        clock.set(NOW.plusSeconds(5));
        deliver.deliver(redelivery);                  // delivered at once
        clock.set(oldRun.due());
        deliver.deliver(oldRun);                      // overtaken: nothing sent
        deliver.deliver(first);                       // a duplicate of the first message: nothing sent either

        assertEquals(2, received.size());
        assertEquals(List.of(1, 2), jobs.latest(TENANT, job.id(), 10).stream().map(WebhookDelivery::attempt).toList());
    }

    @Test
    void aFailedAttemptWhoseRetryCouldNotBeQueuedQueuesItWhenItsMessageComesBack() throws Exception {
        Job job = finishedJob(hookUrl);
        failuresLeft.set(1);
        WebhookTask first = queue.webhooks.getFirst();
        dev.trawl.core.port.WorkQueue down = new dev.trawl.core.port.WorkQueue() {
            @Override
            public void requestPlan(JobRef job) {
            }

            @Override
            public void enqueueChunks(List<dev.trawl.core.message.ChunkTask> chunks) {
            }

            @Override
            public void requestFinalize(JobRef job) {
            }

            @Override
            public void sendWebhook(WebhookTask task, Duration delay) {
                throw new IllegalStateException("queue down");
            }
        };
        DeliverWebhook unlucky = new DeliverWebhook(jobs, jobs, LINKS, secrets, down,
                new WebhookPoster(client, TargetPolicy.publicOnly(Set.of("127.0.0.1"))), clock,
                DeliverWebhook.DEFAULT_BASE, DeliverWebhook.DEFAULT_CAP, DeliverWebhook.DEFAULT_WINDOW);
        try {
            unlucky.deliver(first);
            throw new AssertionError("the failed send must fail the message, so that it comes back");
        } catch (IllegalStateException expected) {
            assertEquals("queue down", expected.getMessage());
        }
        assertEquals(1, received.size());

        deliver.deliver(first); // the message comes back: no second POST of attempt 1, but its retry is queued

        assertEquals(1, received.size());
        WebhookTask retry = queue.webhooks.getLast();
        assertEquals(2, retry.attempt());
        clock.set(retry.due());
        deliver.deliver(retry);
        assertEquals(2, received.size(), "delivered on the retry");
        assertNull(jobs.latest(TENANT, job.id(), 1).getFirst().error());
    }

    @Test
    void aWaitLongerThanAQueueCanHoldIsMadeOfHops() throws Exception {
        Job job = finishedJob(hookUrl);
        WebhookTask later = new WebhookTask(TENANT, job.id(), 9, NOW.toString(), NOW.plus(Duration.ofHours(2)).toString());

        deliver.deliver(later);

        assertEquals(0, received.size());
        assertEquals(later, queue.webhooks.getLast(), "the same attempt, held back again");
        assertEquals(WorkQueue.MAX_DELAY, queue.webhookDelays.getLast());
    }

    @Test
    void attemptsGoOnForTheWholeWindowAndThenStop() throws Exception {
        Job job = finishedJob(hookUrl);
        failuresLeft.set(1_000);
        WebhookTask task = queue.webhooks.getFirst();
        int attempts = 0;
        while (queue.webhooks.getLast() != null && attempts < 100) {
            int queuedBefore = queue.webhooks.size();
            deliver.deliver(task);
            attempts++;
            if (queue.webhooks.size() == queuedBefore) {
                break;
            }
            task = queue.webhooks.getLast();
            clock.set(task.due());
        }
        Duration span = Duration.between(NOW, jobs.latest(TENANT, job.id(), 100).getLast().at());
        assertTrue(span.compareTo(Duration.ofHours(24)) >= 0, "attempts for at least 24 h: " + span);
        assertTrue(attempts < 30, "with a backoff capped at 4 h: " + attempts);
        assertEquals(attempts, received.size());
    }

    @Test
    void aWebhookToAPrivateAddressIsRefusedAndNotRetried() throws Exception {
        Job job = finishedJob("http://10.0.0.7/hooks");
        DeliverWebhook strict = new DeliverWebhook(jobs, jobs, LINKS, secrets, queue,
                new WebhookPoster(client, TargetPolicy.publicOnly(Set.of())), clock,
                DeliverWebhook.DEFAULT_BASE, DeliverWebhook.DEFAULT_CAP, DeliverWebhook.DEFAULT_WINDOW);

        strict.deliver(queue.webhooks.getFirst());

        WebhookDelivery attempt = jobs.latest(TENANT, job.id(), 10).getFirst();
        assertEquals("blocked_target", attempt.error());
        assertNull(attempt.httpStatus());
        assertEquals(1, queue.webhooks.size(), "a refused target is not tried again");
    }

    @Test
    void aSignatureIsRefusedForAnotherBodyAnotherSecretOrAnOldTime() {
        String body = "{\"id\":\"evt_1\"}";
        String header = WebhookSignature.header(SECRET, NOW, body);
        assertTrue(header.matches("t=" + NOW.getEpochSecond() + ",v1=[0-9a-f]{64}"), header);
        Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;
        assertTrue(WebhookSignature.verify(SECRET, header, body, NOW.plusSeconds(60), tolerance));
        assertFalse(WebhookSignature.verify(SECRET, header, body.replace("1", "2"), NOW, tolerance), "tampered body");
        assertFalse(WebhookSignature.verify("whsec_other", header, body, NOW, tolerance), "another secret");
        assertFalse(WebhookSignature.verify(SECRET, header, body, NOW.plus(Duration.ofMinutes(6)), tolerance), "replayed late");
        assertFalse(WebhookSignature.verify(SECRET, header.replace("t=", "t=1"), body, NOW, tolerance), "tampered time");
        assertFalse(WebhookSignature.verify(SECRET, "v1=" + header.substring(header.indexOf("v1=") + 3), body, NOW, tolerance));
        assertFalse(WebhookSignature.verify(SECRET, "garbage", body, NOW, tolerance));
        String rotated = "t=" + NOW.getEpochSecond() + ",v1=" + "0".repeat(64) + "," + header.substring(header.indexOf("v1="));
        assertTrue(WebhookSignature.verify(SECRET, rotated, body, NOW, tolerance), "any matching v1 passes");
    }

    @Test
    void aTaskReadsBackFromItsMessage() {
        WebhookTask task = WebhookTask.first(TENANT, "job_01JD3F2D1A77B0E1XYZ0000000", 3, NOW).next(NOW.plusSeconds(90));
        assertEquals(task, Json.read(Json.write(task), WebhookTask.class));
        assertEquals(NOW.plusSeconds(90), task.due());
        assertEquals(NOW, task.firstAttempt());
        assertEquals(4, task.attempt());
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        for (int attempt = 1; attempt <= 40; attempt++) {
            long full = Math.min(60_000L << Math.min(attempt - 1, 30), Duration.ofHours(4).toMillis());
            long wait = deliver.backoff(attempt).toMillis();
            assertTrue(wait <= full && wait >= full - full / 10, attempt + ": " + wait);
        }
    }
}
