package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Runs a batch of SQS messages and reports the failed ones (partial batch response), so that only they come
 * back. In a FIFO batch, a failed message fails the later messages of its group too, keeping their order.
 *
 * <p>A message that failed for a transient reason ({@link TransientFaults}) comes back after a short delay that grows
 * with its receive count ({@link RedeliveryBackoff}), set through {@link Redelivery} before it is reported, instead of
 * after its queue's whole visibility time-out; other failures keep the time-out. The queue's redrive to its
 * dead-letter queue counts these receives as any other.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    @FunctionalInterface
    public interface MessageHandler<T> {
        void handle(T message) throws Exception;
    }

    /** Every failure keeps its queue's visibility time-out. */
    public static <T> SQSBatchResponse run(SQSEvent event, Class<T> type, Log log, MessageHandler<T> handler) {
        return run(event, type, log, Redelivery.NONE, handler);
    }

    public static <T> SQSBatchResponse run(SQSEvent event, Class<T> type, Log log, Redelivery redelivery,
                                           MessageHandler<T> handler) {
        return run(event, type, log, redelivery, ThreadLocalRandom.current()::nextDouble, handler);
    }

    static <T> SQSBatchResponse run(SQSEvent event, Class<T> type, Log log, Redelivery redelivery, DoubleSupplier random,
                                    MessageHandler<T> handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        // a failed group's delay, if its failure was transient: the messages held back behind it come back with it
        Map<String, Duration> failedGroups = new HashMap<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
            if (group != null && failedGroups.containsKey(group)) {
                returnAfter(redelivery, message, failedGroups.get(group), log);
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
                Duration delay = null;
                if (TransientFaults.isTransient(e)) {
                    int receives = RedeliveryBackoff.receiveCount(message.getAttributes());
                    delay = RedeliveryBackoff.delay(receives, random);
                    log.warn(null, "message failed for a transient reason; it comes back soon", "message_id",
                            message.getMessageId(), "receive_count", receives, "retry_in_s", delay.toSeconds(),
                            "error", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()));
                    returnAfter(redelivery, message, delay, log);
                } else {
                    log.error(null, "message failed; it will be retried", e, "message_id", message.getMessageId());
                }
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                if (group != null) {
                    failedGroups.put(group, delay);
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Best effort: a message whose visibility could not be changed comes back after its queue's time-out instead. */
    private static void returnAfter(Redelivery redelivery, SQSEvent.SQSMessage message, Duration delay, Log log) {
        if (delay == null) {
            return;
        }
        try {
            redelivery.returnAfter(message, delay);
        } catch (RuntimeException e) {
            log.warn(null, "could not shorten the message's visibility; it comes back after the queue's time-out",
                    "message_id", message.getMessageId(), "error", e.getClass().getSimpleName());
        }
    }
}
