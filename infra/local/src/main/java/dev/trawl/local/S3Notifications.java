package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers S3 object-created notifications to the functions whose {@code S3} events match them, asynchronously
 * and retried twice on failure, as Lambda's asynchronous invocation does.
 */
final class S3Notifications {
    private static final int RETRIES = 2;
    private record Subscriber(Template.S3Source source, FunctionHost function) {
    }

    private final List<Subscriber> subscribers = new ArrayList<>();
    /** Local bucket name → the template's logical id. */
    private final Map<String, String> buckets = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    void subscribe(String bucketName, Template.S3Source source, FunctionHost function) {
        buckets.put(bucketName, source.bucketLogicalId());
        synchronized (subscribers) {
            subscribers.add(new Subscriber(source, function));
        }
    }

    void objectCreated(Backend.ObjectCreated created) {
        String bucket = buckets.get(created.bucket());
        if (!open || bucket == null) {
            return;
        }
        List<Subscriber> matching;
        synchronized (subscribers) {
            matching = subscribers.stream().filter(s -> s.source().bucketLogicalId().equals(bucket)
                    && s.source().matches(created.eventName(), created.key())).toList();
        }
        for (Subscriber subscriber : matching) {
            S3Event event = event(created);
            Thread.ofVirtual().name(subscriber.function().name() + "-s3").start(() -> deliver(subscriber.function(), event));
        }
    }

    private void deliver(FunctionHost function, S3Event event) {
        for (int attempt = 0; attempt <= RETRIES && open; attempt++) {
            try {
                if (attempt > 0) {
                    Thread.sleep(1_000L * attempt);
                }
                function.invoke(event);
                return;
            } catch (FunctionHost.InvocationFailed e) {
                // retried like an asynchronous invocation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The notification as S3 sends it: the key URL-encoded, spaces as '+'. */
    static S3Event event(Backend.ObjectCreated created) {
        String key = URLEncoder.encode(created.key(), StandardCharsets.UTF_8).replace("%2F", "/");
        var object = new S3EventNotification.S3ObjectEntity(key, created.size(),
                created.etag() == null ? null : created.etag().replace("\"", ""), null, Long.toHexString(System.nanoTime()));
        var bucket = new S3EventNotification.S3BucketEntity(created.bucket(),
                new S3EventNotification.UserIdentityEntity("local"), "arn:aws:s3:::" + created.bucket());
        var entity = new S3EventNotification.S3Entity("trawl-local", bucket, object, "1.0");
        var record = new S3EventNotification.S3EventNotificationRecord(EmbeddedStack.REGION, created.eventName(),
                "aws:s3", Instant.now().toString(), "2.1", new S3EventNotification.RequestParametersEntity("127.0.0.1"),
                new S3EventNotification.ResponseElementsEntity("local", "local"), entity,
                new S3EventNotification.UserIdentityEntity("local"));
        return new S3Event(List.of(record));
    }

    void close() {
        open = false;
    }
}
