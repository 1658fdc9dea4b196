package dev.trawl.local;

import software.amazon.awssdk.services.sqs.model.Message;

/** Received messages waiting for a poller, handed out in the order a delivery policy chooses. */
interface DeliveryPool {
    /** The next message to deliver, or null when none came within {@code millis}. */
    Message take(long millis) throws InterruptedException;

    /** The message was delivered (whatever the function answered): its tenant and group may have the next one. */
    void done(Message message);
}
