package dev.trawl.local;

import java.time.Duration;
import java.util.function.Predicate;

/** Faults the local runtime injects on purpose, switched on and off by tests of the pipeline's guarantees. */
public final class Faults {
    private volatile boolean duplicateDeliveries;
    private volatile String poisonedFunction;
    private volatile Predicate<String> poison = body -> false;
    private volatile Duration failedMessagesReturnAfter;

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
}
