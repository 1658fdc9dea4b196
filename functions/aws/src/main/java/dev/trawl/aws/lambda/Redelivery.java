package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.time.Duration;

/** Makes a received message visible again after a delay of our choosing, instead of its queue's visibility time-out. */
@FunctionalInterface
public interface Redelivery {
    /** Leaves every message to its queue's visibility time-out (tests, and handlers built without SQS). */
    Redelivery NONE = (message, delay) -> {
    };

    /** Sets the message's visibility to {@code delay} from now; throws when SQS refused or could not be reached. */
    void returnAfter(SQSEvent.SQSMessage message, Duration delay);
}
