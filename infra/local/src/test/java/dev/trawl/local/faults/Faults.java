package dev.trawl.local.faults;

import dev.trawl.local.InvocationFaults;
import dev.trawl.local.LocalRuntime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Faults the local runtime injects on purpose, switched on and off by tests of the pipeline's guarantees. A test takes
 * the runtime's with {@link #of}; the runtime runs without any until then.
 */
public final class Faults implements InvocationFaults {
    private volatile boolean duplicateDeliveries;
    private volatile String poisonedFunction;
    private volatile Predicate<String> poison = body -> false;
    private volatile Duration failedMessagesReturnAfter;
    private volatile Kill kill;
    private final AtomicInteger killed = new AtomicInteger();

    private record Kill(Set<String> functions, double share, Duration within, int untilReceive) {
    }

    /** The faults of this runtime, installed on first use. */
    public static synchronized Faults of(LocalRuntime runtime) {
        if (runtime.faults() instanceof Faults installed) {
            return installed;
        }
        Faults faults = new Faults();
        runtime.faults(faults);
        return faults;
    }

    @Override
    public int deliveries() {
        return duplicateDeliveries ? 2 : 1;
    }

    /** When on, every SQS batch is handed to its function twice, at once, before anything is deleted. */
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

    @Override
    public boolean crashesOn(String function, String body) {
        return function.equals(poisonedFunction) && poison.test(body);
    }

    /**
     * Makes failed messages visible again after {@code delay} instead of the queue's visibility time-out (minutes),
     * so a test sees retries and redrives in seconds; null restores the time-out.
     */
    public void failedMessagesReturnAfter(Duration delay) {
        failedMessagesReturnAfter = delay;
    }

    @Override
    public Duration failedMessagesReturnAfter() {
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

    @Override
    public Duration killAfter(String function, int receiveCount) {
        Kill planned = kill;
        if (planned == null || !planned.functions().contains(function) || receiveCount > planned.untilReceive()
                || ThreadLocalRandom.current().nextDouble() >= planned.share()) {
            return null;
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, planned.within().toNanos())));
    }

    @Override
    public void killed() {
        killed.incrementAndGet();
    }

    /** The SDK faults ({@link SdkFaults}) strike every invocation but those they spare. */
    @Override
    public <T> T invocation(int receiveCount, Supplier<T> invocation) {
        return SdkFaults.spared(receiveCount, invocation);
    }

    /** How many invocations were killed on purpose since this runtime started. */
    public int kills() {
        return killed.get();
    }
}
