package dev.trawl.localstack;

import dev.trawl.local.Backend.ObjectCreated;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** S3's event messages as a bucket's notification queue receives them, read without Docker. */
class BucketNotificationQueueTest {

    @Test
    void anObjectCreatedRecordGivesTheKeyAsWritten() {
        String message = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                "eventTime":"2026-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
                "s3":{"s3SchemaVersion":"1.0","configurationId":"trawl-local-runtime",
                "bucket":{"name":"trawl-data-000000000000-us-east-1","arn":"arn:aws:s3:::trawl-data-000000000000-us-east-1"},
                "object":{"key":"inbox/acme/nightly+list%C3%A9+1%2B1.txt","size":42,"eTag":"d41d8cd98f00b204e9800998ecf8427e"}}}]}""";
        assertEquals(List.of(new ObjectCreated("ObjectCreated:Put", "trawl-data-000000000000-us-east-1",
                "inbox/acme/nightly listé 1+1.txt", 42, "d41d8cd98f00b204e9800998ecf8427e")),
                BucketNotificationQueue.records(message));
    }

    @Test
    void s3sTestEventAndOtherEventsAndOtherBodiesGiveNothing() {
        assertEquals(List.of(), BucketNotificationQueue.records("""
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:00.000Z","Bucket":"b"}"""));
        assertEquals(List.of(), BucketNotificationQueue.records("""
                {"Records":[{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}"""));
        assertEquals(List.of(), BucketNotificationQueue.records("not json"));
    }
}
