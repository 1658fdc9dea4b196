package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.aws.DynamoChunkLedger;
import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoUploadStore;
import dev.trawl.aws.DynamoWebhookDeliveries;
import dev.trawl.aws.S3BlobStore;
import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample event in {@code events/} is read as the Lambda runtime reads it and invoked on its function of
 * the template, as {@code sam local invoke} would, with the queues not polled so that the events alone move the
 * sample job from planned to completed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsTest {
    private static final String JOB_ID = "job_01JD3F2D1A77B0E1XYZ0000000";
    private static final Path EVENTS = Path.of(System.getProperty("trawl.events", "../../events"));
    private static final Map<String, Class<?>> INPUT_TYPES = Map.of(
            "ApiFunction", APIGatewayV2HTTPEvent.class,
            "AuthorizerFunction", APIGatewayV2CustomAuthorizerEvent.class,
            "PlannerFunction", SQSEvent.class,
            "WorkerFunction", SQSEvent.class,
            "ChunkDeadLetterFunction", SQSEvent.class,
            "WebhookFunction", SQSEvent.class,
            "FinalizerFunction", SQSEvent.class,
            "PurgeFunction", SQSEvent.class,
            "ReaperFunction", ScheduledEvent.class,
            "UploadTriggerFunction", S3Event.class);

    private static LocalRuntime runtime;
    private static TestSite site;
    private static DynamoTable table;
    private static DynamoJobStore jobs;

    @BeforeAll
    static void start() throws Exception {
        site = new TestSite();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalStackExtension.template(), 0,
                Map.of("events-demo-key", "acme"), Set.of(site.hostAndPort()), Map.of(), false));
        table = new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table"));
        jobs = new DynamoJobStore(table);
        S3BlobStore blobs = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        String input = String.join("\n", Json.write(site.url("/page/1")),
                Json.write(Map.of("url", site.url("/missing/2"), "meta", Map.of("sku", "B-2"))),
                Json.write("not a url")) + "\n";
        blobs.put(BucketLayout.input(JOB_ID), input.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        JobSettings settings = new JobSettings(4, OutputSpec.DEFAULT, FetchOptions.DEFAULTS, 3600, false, null, null, 0, 3600)
                .withWebhook(new Webhook(site.url("/page/hook"), "whsec_events-sample"));
        jobs.create(Job.accepted(JOB_ID, "acme", "events-sample", Instant.now(), JobInput.inline(BucketLayout.input(JOB_ID)),
                settings, null));
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

    private static Object invoke(String function, String event) throws Exception {
        return invoke(function, event, Map.of());
    }

    /** Invokes with the sample event, each of {@code replaced}'s keys in its text replaced by its value. */
    private static Object invoke(String function, String event, Map<String, String> replaced) throws Exception {
        Class<?> type = INPUT_TYPES.get(function);
        String text = Files.readString(EVENTS.resolve(function).resolve(event));
        for (Map.Entry<String, String> replacement : replaced.entrySet()) {
            text = text.replace(replacement.getKey(), replacement.getValue());
        }
        Object parsed;
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            parsed = LambdaEventSerializers.serializerFor(type, EventsTest.class.getClassLoader()).fromJson(in);
        }
        return runtime.invoke(function, parsed);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) {
        return Json.read(response.getBody(), JsonNode.class);
    }

    @Test
    @Order(1)
    void everyFunctionOfTheTemplateHasSampleEventsAndNoOthers() throws IOException {
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> list = Files.list(EVENTS)) {
            list.filter(Files::isDirectory).forEach(p -> folders.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(runtime.functionNames()), folders);
        assertEquals(new TreeSet<>(runtime.functionNames()), new TreeSet<>(INPUT_TYPES.keySet()));
        for (String folder : folders) {
            try (Stream<Path> files = Files.list(EVENTS.resolve(folder))) {
                assertTrue(files.anyMatch(f -> f.toString().endsWith(".json")), folder + " has no event");
            }
        }
    }

    @Test
    @Order(2)
    void authorizerMapsAKnownKeyToItsTenantAndAnUnknownOneToNone() throws Exception {
        SimpleIAMPolicyResponse known = (SimpleIAMPolicyResponse) invoke("AuthorizerFunction", "known-key.json");
        assertTrue(known.getIsAuthorized());
        assertEquals("acme", known.getContext().get("tenant"));
        SimpleIAMPolicyResponse unknown = (SimpleIAMPolicyResponse) invoke("AuthorizerFunction", "unknown-key.json");
        assertEquals("", unknown.getContext().get("tenant"));
    }

    @Test
    @Order(3)
    void apiEventsAnswerAsTheContractSays() throws Exception {
        APIGatewayV2HTTPResponse got = (APIGatewayV2HTTPResponse) invoke("ApiFunction", "get-job.json");
        assertEquals(200, got.getStatusCode(), got.getBody());
        assertEquals(JOB_ID, body(got).get("id").asText());
        assertEquals("queued", body(got).get("status").asText());

        APIGatewayV2HTTPResponse listed = (APIGatewayV2HTTPResponse) invoke("ApiFunction", "list-jobs.json");
        assertEquals(200, listed.getStatusCode(), listed.getBody());
        assertEquals(JOB_ID, body(listed).get("jobs").get(0).get("id").asText());

        APIGatewayV2HTTPResponse created = (APIGatewayV2HTTPResponse) invoke("ApiFunction", "create-job.json");
        assertEquals(202, created.getStatusCode(), created.getBody());
        assertEquals("events-sample", body(created).get("name").asText());
        assertEquals("/v1/jobs/" + body(created).get("id").asText(), created.getHeaders().get("location"));

        APIGatewayV2HTTPResponse unauthorized = (APIGatewayV2HTTPResponse) invoke("ApiFunction", "unauthorized.json");
        assertEquals(401, unauthorized.getStatusCode());
        assertEquals("unauthorized", body(unauthorized).get("error").get("code").asText());

        APIGatewayV2HTTPResponse invalid = (APIGatewayV2HTTPResponse) invoke("ApiFunction", "invalid-body.json");
        assertEquals(400, invalid.getStatusCode());
        assertEquals("invalid_request", body(invalid).get("error").get("code").asText());
        assertEquals("input.urls[0]", body(invalid).get("error").get("field").asText());
    }

    @Test
    @Order(5)
    void theUploadTriggerEventChecksTheUploadedFile() throws Exception {
        String uploadId = "upl_01JD3F2D1A77B0E1XYZ0000000";
        DynamoUploadStore uploads = new DynamoUploadStore(table);
        uploads.create(Upload.pending(uploadId, "acme", "urls.csv", Instant.now(), null));
        S3BlobStore blobs = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        String csv = "url,sku\n" + site.url("/page/1") + ",A-1\n\nnot a url,B-2\n";
        blobs.put(BucketLayout.upload("acme", uploadId), csv.getBytes(StandardCharsets.UTF_8), "text/csv");

        // the sample names a version by its ETag, which the check reads: that of the file written here
        String etag = blobs.etag(BucketLayout.upload("acme", uploadId)).replace("\"", "");
        invoke("UploadTriggerFunction", "upload-created.json", Map.of("d41d8cd98f00b204e9800998ecf8427e", etag));
        Upload checked = uploads.find("acme", uploadId).orElseThrow();
        assertEquals(UploadStatus.READY, checked.status());
        assertEquals(InputFormat.CSV, checked.format());
        assertEquals(2L, checked.urlCount());
        assertEquals(0L, checked.invalidLines(), "'not a url' is a line for a row, not a malformed line");
    }

    @Test
    @Order(4)
    void plannerWorkerAndFinalizerEventsCarryTheSampleJobToCompleted() throws Exception {
        SQSBatchResponse planned = (SQSBatchResponse) invoke("PlannerFunction", "plan-job.json");
        assertTrue(planned.getBatchItemFailures().isEmpty());
        Job job = jobs.find("acme", JOB_ID).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(3L, job.urlsTotal());
        assertEquals(1, job.chunksTotal());

        SQSBatchResponse worked = (SQSBatchResponse) invoke("WorkerFunction", "chunk.json");
        assertTrue(worked.getBatchItemFailures().isEmpty());
        assertTrue(new DynamoChunkLedger(table).committedChunk(JOB_ID, 0, 0).isPresent());
        job = jobs.find("acme", JOB_ID).orElseThrow();
        assertEquals(3, job.counters().done());
        assertEquals(1, job.counters().ok());

        // The same chunk arriving dead-lettered after it was committed changes nothing.
        SQSBatchResponse dead = (SQSBatchResponse) invoke("ChunkDeadLetterFunction", "dead-chunk.json");
        assertTrue(dead.getBatchItemFailures().isEmpty());
        assertEquals(job.counters(), jobs.find("acme", JOB_ID).orElseThrow().counters());

        SQSBatchResponse finalized = (SQSBatchResponse) invoke("FinalizerFunction", "finalize-job.json");
        assertTrue(finalized.getBatchItemFailures().isEmpty());
        job = jobs.find("acme", JOB_ID).orElseThrow();
        assertEquals(JobStatus.COMPLETED, job.status());
        String resultKey = job.resultParts().getFirst().key();
        List<JsonNode> rows = Api.download(runtime.clients().presigner().presignGetObject(b -> b
                .signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g.bucket(runtime.resource("Bucket"))
                        .key(resultKey))).url().toString());
        assertEquals(List.of("ok", "error", "error"), rows.stream().map(r -> r.get("status").asText()).toList());
        assertEquals("B-2", rows.get(1).get("meta").get("sku").asText());
        assertEquals("invalid_url", rows.get(2).get("error").get("code").asText());

        // The finalizer queued the job's event; the webhook sample sends it to the job's webhook.
        SQSBatchResponse sent = (SQSBatchResponse) invoke("WebhookFunction", "webhook.json");
        assertTrue(sent.getBatchItemFailures().isEmpty());
        assertEquals(1, site.hits("/page/hook"));
        List<WebhookDelivery> deliveries = new DynamoWebhookDeliveries(table).latest("acme", JOB_ID, 10);
        assertEquals(1, deliveries.size());
        assertEquals(200, deliveries.getFirst().httpStatus());
        assertEquals("job.completed", deliveries.getFirst().type());

        // The reaper's schedule event finds nothing overdue: the sample job ended well within its lifetime.
        @SuppressWarnings("unchecked")
        Map<String, Integer> reaped = (Map<String, Integer>) invoke("ReaperFunction", "every-minute.json");
        assertEquals(0, reaped.get("stopped"));

        // Delivered again, each event is absorbed: nothing is counted twice.
        assertTrue(((SQSBatchResponse) invoke("WorkerFunction", "chunk.json")).getBatchItemFailures().isEmpty());
        assertTrue(((SQSBatchResponse) invoke("FinalizerFunction", "finalize-job.json")).getBatchItemFailures().isEmpty());
        Job again = jobs.find("acme", JOB_ID).orElseThrow();
        assertEquals(job.counters(), again.counters());
        assertFalse(again.status() != JobStatus.COMPLETED);
    }

    @Test
    @Order(6)
    void thePurgeEventRemovesTheSampleJobsRecordFilesAndCommits() throws Exception {
        assertTrue(jobs.find("acme", JOB_ID).isPresent());
        String bucket = runtime.resource("Bucket");

        SQSBatchResponse purged = (SQSBatchResponse) invoke("PurgeFunction", "purge-job.json");

        assertTrue(purged.getBatchItemFailures().isEmpty());
        assertTrue(jobs.find("acme", JOB_ID).isEmpty(), "the record, which the API's request had not removed");
        assertFalse(new DynamoChunkLedger(table).committedChunks(JOB_ID).iterator().hasNext(), "the commits");
        for (String prefix : List.of("work/" + JOB_ID + "/", "results/acme/" + JOB_ID + "/")) {
            assertEquals(0, runtime.clients().s3().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount(), prefix);
        }
        assertTrue(((SQSBatchResponse) invoke("PurgeFunction", "purge-job.json")).getBatchItemFailures().isEmpty(),
                "delivered again: nothing left to do");
    }
}
