package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
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
}
