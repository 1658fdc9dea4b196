package dev.trawl.local;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Faults in the AWS calls of every SDK client in the JVM, for the chaos tests: the SDK loads this interceptor for
 * all its clients (the file {@code software/amazon/awssdk/global/handlers/execution.interceptors} names it), so the
 * functions' own clients fail as they would against a flaky AWS. Off unless a test switches a fault on.
 */
public final class SdkFaults implements ExecutionInterceptor {
    private static volatile double rate;
    private static volatile Set<String> flakyOperations = Set.of();
    private static final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private static volatile Predicate<String> lostMessages = body -> false;
    private static final AtomicInteger injected = new AtomicInteger();
    private static final AtomicInteger lost = new AtomicInteger();

    /** Fails that share of the calls of those operations (e.g. {@code PutObject}, {@code TransactWriteItems}). */
    public static void failAtRate(double share, Set<String> operations) {
        flakyOperations = Set.copyOf(operations);
        rate = share;
    }

    /** Fails the next {@code times} calls of an operation, whatever else is switched on. */
    public static void failNext(String operation, int times) {
        failNext.computeIfAbsent(operation, o -> new AtomicInteger()).addAndGet(times);
    }

    /** Chunk or other SQS messages whose body matches are lost on the way: the send "succeeds", nothing arrives. */
    public static void loseMessages(Predicate<String> body) {
        lostMessages = body;
    }

    /** Switches every fault off. */
    public static void clear() {
        rate = 0;
        flakyOperations = Set.of();
        failNext.clear();
        lostMessages = body -> false;
    }

    /** How many calls failed on purpose, and how many messages were lost, since the JVM started. */
    public static int injected() {
        return injected.get();
    }

    public static int lost() {
        return lost.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        AtomicInteger planned = failNext.get(operation);
        boolean fail = planned != null && planned.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        fail |= rate > 0 && flakyOperations.contains(operation) && ThreadLocalRandom.current().nextDouble() < rate;
        if (fail) {
            injected.incrementAndGet();
            throw SdkClientException.create("injected fault in " + operation + " (local chaos test)");
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendMessageBatchRequest batch) {
            List<SendMessageBatchRequestEntry> kept = batch.entries().stream()
                    .filter(entry -> !lostMessages.test(entry.messageBody())).toList();
            int dropped = batch.entries().size() - kept.size();
            if (dropped > 0 && !kept.isEmpty()) {
                lost.addAndGet(dropped);
                return batch.toBuilder().entries(kept).build();
            }
        }
        return context.request();
    }
}
