package dev.trawl.local;

/** Faults the local runtime injects on purpose, switched on and off by tests of the pipeline's guarantees. */
public final class Faults {
    private volatile boolean duplicateDeliveries;

    /** When on, every SQS batch is handed to its function twice, at once, before anything is deleted. */
    public boolean duplicateDeliveries() {
        return duplicateDeliveries;
    }

    public void duplicateDeliveries(boolean on) {
        duplicateDeliveries = on;
    }
}
