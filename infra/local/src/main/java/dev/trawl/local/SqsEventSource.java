package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A Lambda SQS event source mapping: pollers receive up to the batch size, invoke the function with a real
 * {@link SQSEvent}, and delete what succeeded (all, or all but the reported {@code batchItemFailures}).
 * A failed or timed-out invocation deletes nothing: its messages come back after the visibility time-out,
 * and the queue's redrive policy moves them to the dead-letter queue in the end. A standard queue's messages with a
 * {@code MessageGroupId} are delivered as SQS fair queues deliver them ({@link FairQueue}; mappings of batch size 1,
 * as every mapping of the template is).
 */
final class SqsEventSource {
    /**
     * Pollers at most per mapping locally; Lambda would scale further (a FIFO queue's to its active message groups,
     * up to the mapping's MaximumConcurrency). Not the mapping's MaximumConcurrency (100 for the chunk queue): every
     * local invocation shares the machine's few cores, and 100 workers at once there measured planning slower, not
     * delivery fairer (BENCHMARKS.md, fairness). {@code -Dtrawl.localPollerCap=N} changes it, for benchmarks.
     */
    private static final int LOCAL_POLLER_CAP = Integer.getInteger("trawl.localPollerCap", 16);
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Template.SqsSource source;
    private final FunctionHost function;
    private final Supplier<InvocationFaults> faults;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> pollers = new ArrayList<>();

    SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, Template.SqsSource source, FunctionHost function,
                   Supplier<InvocationFaults> faults) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.source = source;
        this.function = function;
        this.faults = faults;
    }

    void start() {
        int count = Math.max(1, Math.min(source.maximumConcurrency(), LOCAL_POLLER_CAP));
        if (FairDelivery.enabled()) {
            FairDelivery fair = new FairDelivery();
            pollers.add(Thread.ofVirtual().name(function.name() + "-receiver").start(() -> receiveInto(fair)));
            for (int i = 0; i < count; i++) {
                pollers.add(Thread.ofVirtual().name(function.name() + "-poller-" + i).start(() -> pollFair(fair)));
            }
            return;
        }
        if (!queueUrl.endsWith(".fifo") && source.batchSize() == 1) {
            FairQueue fair = new FairQueue();
            int visibilitySeconds = Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT));
            pollers.add(Thread.ofVirtual().name(function.name() + "-receiver")
                    .start(() -> receiveInto(fair, visibilitySeconds)));
            for (int i = 0; i < count; i++) {
                pollers.add(Thread.ofVirtual().name(function.name() + "-poller-" + i).start(() -> pollFair(fair)));
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            pollers.add(Thread.ofVirtual().name(function.name() + "-poller-" + i).start(this::poll));
        }
    }

    /**
     * A standard queue's receiver: SQS fair queues emulated ({@link FairQueue}). Visible messages go into the pool,
     * in flight on the queue until delivered; one waiting there for half its visibility time-out gets it again, so
     * that it is not received twice while it waits.
     */
    private void receiveInto(FairQueue fair, int visibilitySeconds) {
        long extendAfter = Duration.ofSeconds(visibilitySeconds).toNanos() / 2;
        while (running.get()) {
            try {
                for (Message old : fair.waitingLongerThan(extendAfter)) {
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(old.receiptHandle())
                            .visibilityTimeout(visibilitySeconds));
                }
                if (fair.full()) {
                    sleep(100);
                    continue;
                }
                fair.add(receive(10));
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                sleep(500);
            }
        }
    }

    /** A poller of a pool: one message at a time, the pool's choice (a fair queue's, or the prototype's). */
    private void pollFair(DeliveryPool fair) {
        while (running.get()) {
            Message message;
            try {
                message = fair.take(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (message == null) {
                continue;
            }
            try {
                deliver(List.of(message));
            } catch (RuntimeException e) {
                // Undeleted, the message comes back after its visibility time-out; the poller goes on.
            } finally {
                fair.done(message);
            }
        }
    }

    /** The fair-delivery prototype's receiver: everything visible goes into the pool, in flight until delivered. */
    private void receiveInto(FairDelivery fair) {
        while (running.get()) {
            try {
                fair.add(receive(10));
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                sleep(500);
            }
        }
    }

    private List<Message> receive(int most) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(most)
                .waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .attributeNamesWithStrings(QueueAttributeName.ALL.toString())).messages();
    }

    private void poll() {
        while (running.get()) {
            List<Message> messages;
            try {
                messages = receive(Math.min(10, source.batchSize()));
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                sleep(500);
                continue;
            }
            if (!messages.isEmpty()) {
                try {
                    deliver(messages);
                } catch (RuntimeException e) {
                    // Undeleted, the messages come back after their visibility time-out; the poller goes on.
                }
            }
        }
    }

    private void deliver(List<Message> messages) {
        InvocationFaults faults = this.faults.get();
        if (messages.stream().anyMatch(m -> faults.crashesOn(function.name(), m.body()))) {
            returnEarly(faults, messages); // the function "crashed" on the batch: nothing is deleted
            return;
        }
        SQSEvent event = toEvent(messages);
        Set<String> failed = new HashSet<>();
        boolean invocationFailed = false;
        int deliveries = faults.deliveries();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        int receives = receiveCount(messages);
        for (int i = 0; i < deliveries; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> faults.invocation(receives, () -> {
                try {
                    return invoke(event, faults, faults.killAfter(function.name(), receives));
                } catch (FunctionHost.InvocationFailed e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }), r -> Thread.ofVirtual().start(r)));
        }
        for (CompletableFuture<Object> call : calls) {
            try {
                Object response = call.join();
                if (source.reportBatchItemFailures() && response instanceof SQSBatchResponse batch
                        && batch.getBatchItemFailures() != null) {
                    batch.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
                }
            } catch (RuntimeException e) {
                invocationFailed = true;
            }
        }
        if (invocationFailed) {
            returnEarly(faults, messages);
            return;
        }
        returnEarly(faults, messages.stream().filter(m -> failed.contains(m.messageId())).toList());
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!deletes.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
        }
    }

    /**
     * Invokes the function; with a kill planned, cuts the invocation off at that moment (as a time-out does: the
     * handler's thread is interrupted and the invocation fails), unless it ended first.
     */
    private Object invoke(SQSEvent event, InvocationFaults faults, Duration killAfter) throws FunctionHost.InvocationFailed {
        if (killAfter == null) {
            return function.invoke(event);
        }
        Thread caller = Thread.currentThread();
        AtomicBoolean over = new AtomicBoolean();
        Thread killer = Thread.ofVirtual().name(function.name() + "-killer").start(() -> {
            try {
                Thread.sleep(killAfter);
            } catch (InterruptedException e) {
                return;
            }
            if (over.compareAndSet(false, true)) {
                caller.interrupt();
            }
        });
        boolean returned = false;
        try {
            Object response = function.invoke(event);
            returned = true;
            return response;
        } finally {
            if (!over.compareAndSet(false, true)) {
                Thread.interrupted(); // this thread's interrupt was the kill
                if (!returned) {
                    faults.killed();
                }
            }
            killer.interrupt();
        }
    }

    /** How many times the batch's messages were received, this time included (the most of them). */
    private static int receiveCount(List<Message> messages) {
        int most = 1;
        for (Message message : messages) {
            String count = message.attributesAsStrings().get("ApproximateReceiveCount");
            if (count != null) {
                try {
                    most = Math.max(most, Integer.parseInt(count));
                } catch (NumberFormatException e) {
                    // not a count: as if received once
                }
            }
        }
        return most;
    }

    /** With the fault on, failed messages come back after its short delay rather than the visibility time-out. */
    private void returnEarly(InvocationFaults faults, List<Message> failed) {
        Duration delay = faults.failedMessagesReturnAfter();
        if (delay == null) {
            return;
        }
        for (Message message : failed) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                        .visibilityTimeout((int) delay.toSeconds()));
            } catch (RuntimeException e) {
                // it comes back after the visibility time-out instead
            }
        }
    }

    private SQSEvent toEvent(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            Map<String, String> attributes = new HashMap<>();
            message.attributesAsStrings().forEach(attributes::put);
            record.setAttributes(attributes);
            record.setMessageAttributes(Map.of());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(EmbeddedStack.REGION);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    void stop() {
        running.set(false);
        for (Thread poller : pollers) {
            try {
                poller.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
