package dev.trawl.local;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a test may break on purpose when the local runtime hands queue messages to functions. The runtime asks these
 * questions at each delivery; it runs with {@link #NONE} unless a test installs faults of its own
 * ({@link LocalRuntime#faults(InvocationFaults)}), so {@code trawl serve} never breaks anything.
 */
public interface InvocationFaults {
    InvocationFaults NONE = new InvocationFaults() {
    };

    /** Whether {@code function} "crashes" on a message with this body: the batch fails and nothing is deleted. */
    default boolean crashesOn(String function, String body) {
        return false;
    }

    /** How many times each batch is handed to its function at once, before anything is deleted. */
    default int deliveries() {
        return 1;
    }

    /** When to cut this invocation of {@code function} off, for a batch received {@code receiveCount} times; or null. */
    default Duration killAfter(String function, int receiveCount) {
        return null;
    }

    /** An invocation was cut off as {@link #killAfter} planned. */
    default void killed() {
    }

    /** How soon failed messages come back; null for the queue's visibility time-out. */
    default Duration failedMessagesReturnAfter() {
        return null;
    }

    /** Runs one invocation of a batch received {@code receiveCount} times (faults may spare it, or not). */
    default <T> T invocation(int receiveCount, Supplier<T> invocation) {
        return invocation.get();
    }
}
