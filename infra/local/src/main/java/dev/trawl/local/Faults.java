package dev.trawl.local;

/**
 * Faults the local runtime injects on purpose, for tests of the pipeline's guarantees.
 *
 * @param duplicateDeliveries every SQS batch is handed to its function twice, at once, before anything is deleted
 */
public record Faults(boolean duplicateDeliveries) {
    public static final Faults NONE = new Faults(false);
}
