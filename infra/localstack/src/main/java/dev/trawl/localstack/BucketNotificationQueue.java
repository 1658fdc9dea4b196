package dev.trawl.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.Backend.ObjectCreated;
import dev.trawl.local.iam.Arns;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A bucket's object-created notifications on LocalStack, brought to the runtime: the bucket notifies a queue of its
 * own of every {@code s3:ObjectCreated:*} (its notification configuration, as S3 keeps it), and a poller hands each
 * record on as an {@link ObjectCreated}. The runtime's {@code S3Notifications} then picks the functions whose
 * {@code S3} events match (event, prefix, suffix) and invokes them as Lambda's asynchronous invocation does: the
 * same path as on the embedded stack, so the template's filters are applied in one place.
 */
final class BucketNotificationQueue implements AutoCloseable {
    private static final int SQS_NAME_LIMIT = 80;
    private final SqsClient sqs;
    private final String queueUrl;
    private final Consumer<ObjectCreated> objectCreated;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread poller;

    private BucketNotificationQueue(SqsClient sqs, String queueUrl, Consumer<ObjectCreated> objectCreated) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.objectCreated = objectCreated;
    }

    /** Creates the queue, points the bucket's notifications at it, and starts polling it. */
    static BucketNotificationQueue start(S3Client s3, SqsClient sqs, String bucket, Consumer<ObjectCreated> objectCreated) {
        String name = queueName(bucket);
        String queueArn = Arns.queue(name);
        // As on AWS, S3 may send to the queue only if the queue's policy lets it (LocalStack does not check).
        String policy = Json.write(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                "Effect", "Allow",
                "Principal", Map.of("Service", "s3.amazonaws.com"),
                "Action", "sqs:SendMessage",
                "Resource", queueArn,
                "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", Arns.bucket(bucket)))))));
        String queueUrl = sqs.createQueue(b -> b.queueName(name)
                .attributes(Map.of(QueueAttributeName.POLICY, policy))).queueUrl();
        QueueConfiguration everyObjectCreated = QueueConfiguration.builder().id("trawl-local-runtime").queueArn(queueArn)
                .events(Event.S3_OBJECT_CREATED).build();
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(n -> n.queueConfigurations(everyObjectCreated)));
        BucketNotificationQueue queue = new BucketNotificationQueue(sqs, queueUrl, objectCreated);
        queue.poller = Thread.ofVirtual().name("s3-notifications-" + bucket).start(queue::poll);
        return queue;
    }

    /** SQS's rule: letters, digits, hyphens and underscores, 80 at most (bucket names may hold dots). */
    private static String queueName(String bucket) {
        String name = "trawl-s3-events-" + bucket.replace('.', '-');
        return name.length() <= SQS_NAME_LIMIT ? name : name.substring(0, SQS_NAME_LIMIT);
    }

    private void poll() {
        while (running.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                pause();
                continue;
            }
            for (Message message : messages) {
                try {
                    records(message.body()).forEach(objectCreated);
                    // Handed on: the runtime retries a failed invocation itself, as Lambda does for S3's events.
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                } catch (RuntimeException e) {
                    // Undeleted, the message comes back after its visibility time-out; the poller goes on.
                }
            }
        }
    }

    /**
     * The object-created records of one S3 event message; none for S3's {@code s3:TestEvent} (sent when the
     * configuration is set) or a body that is not an S3 event.
     */
    static List<ObjectCreated> records(String body) {
        JsonNode event;
        try {
            event = Json.read(body, JsonNode.class);
        } catch (RuntimeException e) {
            return List.of();
        }
        List<ObjectCreated> created = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String eventName = record.path("eventName").asText("");
            JsonNode object = record.path("s3").path("object");
            if (!eventName.startsWith("ObjectCreated:") || !object.hasNonNull("key")) {
                continue;
            }
            created.add(new ObjectCreated(eventName, record.path("s3").path("bucket").path("name").asText(),
                    // S3 sends the key URL-encoded, spaces as '+'; the runtime encodes it again for the function.
                    URLDecoder.decode(object.get("key").asText(), StandardCharsets.UTF_8),
                    object.path("size").asLong(0),
                    Optional.ofNullable(object.get("eTag")).map(JsonNode::asText).orElse(null)));
        }
        return created;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            poller.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
