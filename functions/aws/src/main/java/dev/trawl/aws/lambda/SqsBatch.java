package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a batch of SQS messages and reports the failed ones (partial batch response), so that only they come
 * back. In a FIFO batch, a failed message fails the later messages of its group too, keeping their order.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    @FunctionalInterface
    public interface MessageHandler<T> {
        void handle(T message) throws Exception;
    }

    public static <T> SQSBatchResponse run(SQSEvent event, Class<T> type, Log log, MessageHandler<T> handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Set<String> failedGroups = new HashSet<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
            if (group != null && failedGroups.contains(group)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                continue;
            }
            T body;
            try {
                body = Json.read(message.getBody(), type);
            } catch (RuntimeException e) {
                // A body that is not ours can never succeed: it is logged and dropped, not retried.
                log.error(null, "unreadable message dropped", e, "message_id", message.getMessageId());
                continue;
            }
            try {
                handler.handle(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } catch (Exception e) {
                log.error(null, "message failed; it will be retried", e, "message_id", message.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                if (group != null) {
                    failedGroups.add(group);
                }
            }
        }
        return new SQSBatchResponse(failures);
    }
}
