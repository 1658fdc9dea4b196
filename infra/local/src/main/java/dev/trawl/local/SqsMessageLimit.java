package dev.trawl.local;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQS's message size limit, which ElasticMQ gets wrong: it ignores a queue's {@code MaximumMessageSize}, leaves
 * message attributes out of the size, and refuses with another error code. Every SDK client of this JVM (the
 * functions', the runtime's, the tests') runs this check before sending, and a message too large fails as SQS fails
 * it: {@code 400 InvalidParameterValue}, or {@code BatchRequestTooLong} for a batch over the limit in all.
 * Registered in {@code software/amazon/awssdk/global/handlers/execution.interceptors}.
 */
public final class SqsMessageLimit implements ExecutionInterceptor {
    /** SQS's largest message and batch, and the default {@code MaximumMessageSize} of a queue (1 MiB). */
    static final int SQS_MAXIMUM = 1_048_576;
    /** Queue URL → the queue's {@code MaximumMessageSize}, for the queues the local runtimes of this JVM made. */
    private static final Map<String, Integer> MAXIMUM_BY_QUEUE = new ConcurrentHashMap<>();

    static void declare(String queueUrl, int maximumMessageSize) {
        MAXIMUM_BY_QUEUE.put(queueUrl, maximumMessageSize);
    }

    static void forget(String queueUrl) {
        MAXIMUM_BY_QUEUE.remove(queueUrl);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof SendMessageRequest send) {
            checkMessage(send.queueUrl(), size(send.messageBody(), send.messageAttributes()));
        } else if (request instanceof SendMessageBatchRequest batch) {
            long total = 0;
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                long size = size(entry.messageBody(), entry.messageAttributes());
                checkMessage(batch.queueUrl(), size);
                total += size;
            }
            if (total > SQS_MAXIMUM) {
                throw BatchRequestTooLongException.builder().statusCode(400)
                        .awsErrorDetails(details("AWS.SimpleQueueService.BatchRequestTooLong",
                                "Batch requests cannot be longer than " + SQS_MAXIMUM + " bytes. You have sent "
                                        + total + " bytes."))
                        .build();
            }
        }
    }

    private static void checkMessage(String queueUrl, long size) {
        int maximum = MAXIMUM_BY_QUEUE.getOrDefault(queueUrl, SQS_MAXIMUM);
        if (size > maximum) {
            throw SqsException.builder().statusCode(400)
                    .awsErrorDetails(details("InvalidParameterValue",
                            "One or more parameters are invalid. Reason: Message must be shorter than " + maximum + " bytes."))
                    .build();
        }
    }

    /** As SQS counts it: the body and every attribute's name, type and value, in bytes. */
    static long size(String body, Map<String, MessageAttributeValue> messageAttributes) {
        long size = utf8(body);
        for (Map.Entry<String, MessageAttributeValue> attribute : messageAttributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            size += utf8(attribute.getKey()) + utf8(value.dataType()) + utf8(value.stringValue())
                    + (value.binaryValue() == null ? 0 : value.binaryValue().asByteArray().length);
        }
        return size;
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().serviceName("Sqs").errorCode(code).errorMessage(message).build();
    }
}
