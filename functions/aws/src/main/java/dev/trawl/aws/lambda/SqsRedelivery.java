package dev.trawl.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@link Redelivery} through SQS's {@code ChangeMessageVisibility} on the record's own queue (its
 * {@code eventSourceARN}), which each consumer may call on its own queue only (template.yaml). The SQS client is built
 * at the first transient failure, not at a cold start.
 */
public final class SqsRedelivery implements Redelivery {
    private final Config config;
    private SqsClient sqs;

    private SqsRedelivery(Config config) {
        this.config = config;
    }

    /** For a handler's no-arg constructor. */
    public static SqsRedelivery fromConfig(Config config) {
        return new SqsRedelivery(config);
    }

    @Override
    public void returnAfter(SQSEvent.SQSMessage message, Duration delay) {
        int seconds = (int) Math.min(Math.max(delay.toSeconds(), 0), 43_200); // SQS's range: 0 to 12 hours
        client().changeMessageVisibility(b -> b.queueUrl(queueUrl(message.getEventSourceArn()))
                .receiptHandle(message.getReceiptHandle()).visibilityTimeout(seconds));
    }

    private synchronized SqsClient client() {
        if (sqs == null) {
            sqs = new AwsClients(config).sqs();
        }
        return sqs;
    }

    /**
     * The queue's URL: one of the function's configured queues of that name, else the URL SQS gives a queue of that
     * account and name (on the configured endpoint, if any).
     */
    String queueUrl(String queueArn) {
        String[] arn = Objects.requireNonNull(queueArn, "the record has no eventSourceARN").split(":");
        if (arn.length != 6 || !arn[2].equals("sqs")) {
            throw new IllegalArgumentException("not a queue's ARN: " + queueArn);
        }
        String name = arn[5];
        return Stream.of(config.planQueueUrl(), config.chunkQueueUrl(), config.finalizeQueueUrl(), config.webhookQueueUrl())
                .filter(url -> url != null && url.endsWith("/" + name))
                .findFirst()
                .orElseGet(() -> {
                    URI endpoint = config.sqsEndpoint();
                    String base = endpoint != null ? endpoint.toString().replaceAll("/+$", "")
                            : "https://sqs." + arn[3] + ".amazonaws.com";
                    return base + "/" + arn[4] + "/" + name;
                });
    }
}
