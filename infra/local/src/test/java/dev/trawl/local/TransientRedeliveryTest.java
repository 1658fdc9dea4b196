package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.aws.Config;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.local.faults.SdkFaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that fails for a transient reason (S3 or DynamoDB throttling a worker) comes back within seconds: the
 * worker sets its visibility to the short first delay of the redelivery schedule (2 s at most) through
 * ChangeMessageVisibility, which its policy allows on its own queue, instead of leaving it for the chunk queue's 30
 * minutes. The reaper of this stack drives on a job only after 30 minutes, so a job done within 20 s was not rescued by it.
 */
@ExtendWith(LocalStackExtension.class)
class TransientRedeliveryTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @AfterEach
    void clearFaults() {
        SdkFaults.clear();
    }

    private static String jobOf(Api api, TestSite site, String name, int urls, int slowMs) throws Exception {
        ObjectNode body = Json.object();
        var list = body.putObject("input").putArray("urls");
        for (int i = 1; i <= urls; i++) {
            list.add(site.url("/slow/" + name + "-" + i + "?ms=" + slowMs));
        }
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        return created.body().get("id").asText();
    }

    private static void assertDoneWithEveryRow(Api api, String jobId, int urls, Instant started) throws Exception {
        JsonNode job = api.awaitTerminal(jobId, WITHIN.plusSeconds(40));
        Duration took = Duration.between(started, Instant.now());
        assertEquals("completed", job.get("status").asText(), job.toString());
        assertEquals(urls, job.get("urls_ok").asInt(), job.toString());
        assertTrue(took.compareTo(WITHIN) < 0, "a throttled chunk came back after " + took + ", not within seconds");
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(urls, rows.size());
        for (int i = 0; i < urls; i++) {
            assertEquals(i + 1, rows.get(i).get("line").asInt());
        }
    }

    /** Whether the job of a {@code work/{job id}/…} key was created after the id prefix {@code earlier}. */
    private static boolean createdAfter(String key, String earlier) {
        String[] parts = key.split("/");
        return parts.length > 1 && parts[1].length() >= 14 && parts[1].substring(0, 14).compareTo(earlier) > 0;
    }

    @Test
    void aChunkWhoseReadS3ThrottledIsDoneWithinSeconds(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        int before = SdkFaults.injected();
        // the first read of a chunk file (a worker's, no other function reads them) of a job created from now on is
        // answered 503 SlowDown; job ids begin with their creation's millisecond, so earlier jobs are not matched
        String earlier = new Ids(Clock.systemUTC()).next(Ids.JOB).substring(0, 14);
        Thread.sleep(2);
        SdkFaults.throttleNext("GetObject", 1, request -> request instanceof GetObjectRequest get
                && get.key().contains("/chunks/") && createdAfter(get.key(), earlier));
        Instant started = Instant.now();
        String jobId = jobOf(api, site, "throttled-read", 20, 10);

        assertDoneWithEveryRow(api, jobId, 20, started);
        assertEquals(before + 1, SdkFaults.injected(), "the chunk's read really was throttled once");
    }

    @Test
    void aChunkWhoseCommitDynamoDbThrottledIsDoneWithinSeconds(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        int before = SdkFaults.injected();
        Instant started = Instant.now();
        // slow pages: the fault is on before the chunk's commit, which names the job
        String jobId = jobOf(api, site, "throttled-commit", 10, 400);
        SdkFaults.throttleNext("TransactWriteItems", 1, request -> request instanceof TransactWriteItemsRequest write
                && write.toString().contains(jobId));

        assertDoneWithEveryRow(api, jobId, 10, started);
        assertEquals(before + 1, SdkFaults.injected(), "the chunk's commit really was throttled once");
    }

    /**
     * Each consumer finds its own queue from a record's event source ARN (the dead-letter function's among them, whose
     * queue is in no variable) and may change its messages' visibility: a made-up receipt handle then gets SQS's own
     * answer about the receipt, not AccessDenied nor an unknown queue.
     */
    @Test
    void everyConsumerReachesItsOwnQueueFromTheRecordsArn(LocalRuntime runtime) {
        Map<String, String> queues = Map.of("PlannerFunction", "PlanQueue", "WorkerFunction", "ChunkQueue",
                "ChunkDeadLetterFunction", "ChunkDeadLetterQueue", "FinalizerFunction", "FinalizeQueue",
                "WebhookFunction", "WebhookQueue");
        queues.forEach((function, queue) -> {
            String arn = runtime.clients().sqs().getQueueAttributes(b -> b.queueUrl(runtime.resource(queue))
                    .attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setEventSourceArn(arn);
            record.setReceiptHandle("made-up-receipt");
            SqsRedelivery redelivery = SqsRedelivery.fromConfig(Config.fromEnv(runtime.environmentOf(function)));
            SqsException answer = assertThrows(SqsException.class,
                    () -> redelivery.returnAfter(record, Duration.ofSeconds(2)), function);
            String code = answer.awsErrorDetails().errorCode();
            assertTrue(code.contains("ReceiptHandle"), function + " on " + queue + ": " + code + " " + answer.getMessage());
        });
    }
}
