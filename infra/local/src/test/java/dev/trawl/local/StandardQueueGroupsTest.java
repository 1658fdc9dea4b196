package dev.trawl.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the local fair queues ({@link FairQueue}) rely on in ElasticMQ: a standard queue takes a {@code MessageGroupId}
 * (on SQS, what makes it a fair queue), hands it back as a system attribute, and does not hold a group's messages
 * back one at a time as a FIFO queue would.
 */
class StandardQueueGroupsTest {
    private static EmbeddedStack stack;
    private static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start();
        sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .build();
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
    void aStandardQueueKeepsTheGroupAndDeliversAGroupsMessagesTogether() {
        String queue = sqs.createQueue(b -> b.queueName("fair")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("one").messageGroupId("tenant-a"));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("two").messageGroupId("tenant-a"));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("plain"));
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertEquals(3, messages.size(), "no group is held back: " + messages);
        for (Message message : messages) {
            assertEquals(message.body().equals("plain") ? null : "tenant-a", FairQueue.groupOf(message), message.toString());
        }
    }
}
