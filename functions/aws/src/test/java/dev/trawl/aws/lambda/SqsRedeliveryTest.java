package dev.trawl.aws.lambda;

import dev.trawl.aws.Config;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqsRedeliveryTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("TABLE_NAME", "t");
        env.put("BUCKET_NAME", "b");
        return env;
    }

    @Test
    void aRecordsQueueIsTheConfiguredQueueOfItsName() {
        Map<String, String> env = env();
        env.put("CHUNK_QUEUE_URL", "http://127.0.0.1:9324/000000000000/ChunkQueue.fifo");
        env.put("PLAN_QUEUE_URL", "http://127.0.0.1:9324/000000000000/PlanQueue");
        SqsRedelivery redelivery = SqsRedelivery.fromConfig(Config.fromEnv(env));
        assertEquals("http://127.0.0.1:9324/000000000000/ChunkQueue.fifo",
                redelivery.queueUrl("arn:aws:sqs:eu-west-1:000000000000:ChunkQueue.fifo"));
        assertEquals("http://127.0.0.1:9324/000000000000/PlanQueue",
                redelivery.queueUrl("arn:aws:sqs:eu-west-1:000000000000:PlanQueue"));
    }

    @Test
    void anUnconfiguredQueueIsAddressedByItsArn() {
        assertEquals("https://sqs.eu-west-1.amazonaws.com/123456789012/ChunkDeadLetterQueue.fifo",
                SqsRedelivery.fromConfig(Config.fromEnv(env()))
                        .queueUrl("arn:aws:sqs:eu-west-1:123456789012:ChunkDeadLetterQueue.fifo"));
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324/");
        assertEquals("http://127.0.0.1:9324/000000000000/Dead",
                SqsRedelivery.fromConfig(Config.fromEnv(env)).queueUrl("arn:aws:sqs:eu-west-1:000000000000:Dead"));
        assertThrows(IllegalArgumentException.class,
                () -> SqsRedelivery.fromConfig(Config.fromEnv(env())).queueUrl("arn:aws:s3:::bucket"));
    }
}
