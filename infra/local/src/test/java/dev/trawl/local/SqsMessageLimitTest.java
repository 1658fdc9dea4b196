package dev.trawl.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message over SQS's size fails as SQS fails it, on ElasticMQ too: any SDK client of the JVM checks it before
 * sending ({@link SqsMessageLimit}), against the queue's {@code MaximumMessageSize} when a local runtime declared one.
 */
class SqsMessageLimitTest {
    private static EmbeddedStack stack;
    private static SqsClient sqs;
    private static String queue;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start();
        sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .build();
        queue = sqs.createQueue(b -> b.queueName("limits")).queueUrl();
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aMessageOverOneMebibyteIsInvalidParameterValue() {
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("a".repeat(SqsMessageLimit.SQS_MAXIMUM)));
        SqsException tooLong = assertThrows(SqsException.class,
                () -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("a".repeat(SqsMessageLimit.SQS_MAXIMUM + 1))));
        assertEquals(400, tooLong.statusCode());
        assertEquals("InvalidParameterValue", tooLong.awsErrorDetails().errorCode());
        assertTrue(tooLong.getMessage().contains("Message must be shorter than 1048576 bytes"), tooLong.getMessage());
    }

    @Test
    void theAttributesCountInTheSize() {
        // ElasticMQ alone takes this one: it measures the body only.
        SqsException tooLong = assertThrows(SqsException.class, () -> sqs.sendMessage(b -> b.queueUrl(queue)
                .messageBody("a".repeat(SqsMessageLimit.SQS_MAXIMUM - 10))
                .messageAttributes(Map.of("trace", MessageAttributeValue.builder().dataType("String")
                        .stringValue("0123456789").build()))));
        assertEquals("InvalidParameterValue", tooLong.awsErrorDetails().errorCode());
    }

    @Test
    void aBatchOverOneMebibyteInAllIsBatchRequestTooLong() {
        BatchRequestTooLongException batch = assertThrows(BatchRequestTooLongException.class,
                () -> sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(
                        e -> e.id("1").messageBody("a".repeat(600_000)), e -> e.id("2").messageBody("a".repeat(600_000)))));
        assertEquals(400, batch.statusCode());
        assertEquals("AWS.SimpleQueueService.BatchRequestTooLong", batch.awsErrorDetails().errorCode());
    }

    @Test
    void aQueuesOwnMaximumMessageSizeHolds() {
        String small = sqs.createQueue(b -> b.queueName("small")).queueUrl();
        SqsMessageLimit.declare(small, 1024);
        try {
            sqs.sendMessage(b -> b.queueUrl(small).messageBody("a".repeat(1024)));
            SqsException tooLong = assertThrows(SqsException.class,
                    () -> sqs.sendMessage(b -> b.queueUrl(small).messageBody("a".repeat(1025))));
            assertTrue(tooLong.getMessage().contains("shorter than 1024 bytes"), tooLong.getMessage());
        } finally {
            SqsMessageLimit.forget(small);
        }
    }
}
