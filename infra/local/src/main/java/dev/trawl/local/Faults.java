package dev.trawl.local;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Faults the local runtime injects on purpose, switched on and off by tests of the pipeline's guarantees. */
public final class Faults {
    private volatile boolean duplicateDeliveries;
    private volatile String poisonedFunction;
    private volatile Predicate<String> poison = body -> false;
    private volatile Duration failedMessagesReturnAfter;
    private volatile Kill kill;
    private final AtomicInteger killed = new AtomicInteger();

    private record Kill(Set<String> functions, double share, Duration within, int untilReceive) {
    }

    /** When on, every SQS batch is handed to its function twice, at once, before anything is deleted. */
    public boolean duplicateDeliveries() {
        return duplicateDeliveries;
    }

    public void duplicateDeliveries(boolean on) {
        duplicateDeliveries = on;
    }

    /**
     * Messages to {@code function} whose body matches fail on every delivery, as if the function crashed on them:
     * they stay undeleted and reach the queue's dead-letter queue once the redrive policy's receive count is used up.
     * A null function clears the fault.
     */
    public void poison(String function, Predicate<String> body) {
        poisonedFunction = function;
        poison = body;
    }

    boolean poisoned(String function, String body) {
        return function.equals(poisonedFunction) && poison.test(body);
    }

    /**
     * Makes failed messages visible again after {@code delay} instead of the queue's visibility time-out (minutes),
     * so a test sees retries and redrives in seconds; null restores the time-out.
     */
    public void failedMessagesReturnAfter(Duration delay) {
        failedMessagesReturnAfter = delay;
    }

    Duration failedMessagesReturnAfter() {
        return failedMessagesReturnAfter;
    }

    /**
     * Kills that share of the invocations of those functions at a random moment within {@code within} of their start,
     * as if Lambda's container died mid-way: the invocation is cut off (its thread interrupted, as at a time-out), its
     * messages are not deleted and come back. Only a message's first {@code untilReceive} receives are struck, so the
     * kills alone never send it to the dead-letter queue. A null or empty set of functions clears the fault.
     */
    public void kill(Set<String> functions, double share, Duration within, int untilReceive) {
        kill = functions == null || functions.isEmpty() ? null : new Kill(Set.copyOf(functions), share, within, untilReceive);
    }

    /** When to kill this invocation of {@code function} for a message received {@code receiveCount} times, or null. */
    Duration killAfter(String function, int receiveCount) {
        Kill planned = kill;
        if (planned == null || !planned.functions().contains(function) || receiveCount > planned.untilReceive()
                || ThreadLocalRandom.current().nextDouble() >= planned.share()) {
            return null;
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, planned.within().toNanos())));
    }

    void killed() {
        killed.incrementAndGet();
    }

    /** How many invocations were killed on purpose since this runtime started. */
    public int kills() {
        return killed.get();
    }
}
