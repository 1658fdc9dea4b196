package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqsBatchTest {

    private static SQSEvent.SQSMessage message(String id, String body, String group) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setAttributes(group == null ? Map.of() : Map.of("MessageGroupId", group));
        return message;
    }

    private static SQSEvent event(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void onlyFailedMessagesAreReportedAndAFailedGroupHoldsItsLaterMessages() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream()));
        try {
            List<String> handled = new ArrayList<>();
            SQSBatchResponse response = SqsBatch.run(event(
                    message("1", "{\"tenant\":\"t\",\"job_id\":\"a\"}", "g1"),
                    message("2", "{\"tenant\":\"t\",\"job_id\":\"boom\"}", "g2"),
                    message("3", "{\"tenant\":\"t\",\"job_id\":\"c\"}", "g2"),
                    message("4", "{\"tenant\":\"t\",\"job_id\":\"d\"}", "g3"),
                    message("5", "not json", null)), JobRef.class, Log.of("test"), ref -> {
                if (ref.jobId().equals("boom")) {
                    throw new IllegalStateException("fails on purpose");
                }
                handled.add(ref.jobId());
            });
            assertEquals(List.of("a", "d"), handled);
            // 3 is not tried after 2 failed in its group, so its order is kept; 5 can never be read and is dropped.
            assertEquals(List.of("2", "3"), failed(response));
        } finally {
            Log.redirect(System.out);
        }
    }

    private static SQSEvent.SQSMessage received(String id, String body, String group, int receives) {
        SQSEvent.SQSMessage message = message(id, body, group);
        Map<String, String> attributes = new HashMap<>(message.getAttributes());
        attributes.put("ApproximateReceiveCount", Integer.toString(receives));
        message.setAttributes(attributes);
        return message;
    }

    @Test
    void aTransientFailureComesBackAfterAShortDelayGrowingWithItsReceiveCount() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream()));
        try {
            Map<String, Duration> delays = new LinkedHashMap<>();
            Redelivery recorded = (message, delay) -> delays.put(message.getMessageId(), delay);
            SQSBatchResponse response = SqsBatch.run(event(
                    received("1", "{\"tenant\":\"t\",\"job_id\":\"throttled\"}", "g1", 1),
                    received("2", "{\"tenant\":\"t\",\"job_id\":\"held\"}", "g1", 1),
                    received("3", "{\"tenant\":\"t\",\"job_id\":\"reset\"}", null, 3),
                    received("4", "{\"tenant\":\"t\",\"job_id\":\"bug\"}", null, 1)),
                    JobRef.class, Log.of("test"), recorded, () -> 1.0, ref -> {
                        switch (ref.jobId()) {
                            case "throttled" -> throw S3Exception.builder().statusCode(503)
                                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").build()).build();
                            case "reset" -> throw SdkClientException.create("Connection reset");
                            case "bug" -> throw new IllegalStateException("a bug");
                            default -> {
                            }
                        }
                    });
            assertEquals(List.of("1", "2", "3", "4"), failed(response));
            // the held-back message of the failed group comes back with it; the bug keeps the queue's time-out
            assertEquals(Map.of("1", Duration.ofSeconds(2), "2", Duration.ofSeconds(2), "3", Duration.ofSeconds(32)), delays);
        } finally {
            Log.redirect(System.out);
        }
    }

    @Test
    void aVisibilityThatCannotBeChangedStillReportsTheFailure() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream()));
        try {
            SQSBatchResponse response = SqsBatch.run(event(received("1", "{\"tenant\":\"t\",\"job_id\":\"a\"}", null, 2)),
                    JobRef.class, Log.of("test"), (message, delay) -> {
                        throw SdkClientException.create("SQS unreachable too");
                    }, ref -> {
                        throw SdkClientException.create("S3 unreachable");
                    });
            assertEquals(List.of("1"), failed(response));
        } finally {
            Log.redirect(System.out);
        }
    }
}
