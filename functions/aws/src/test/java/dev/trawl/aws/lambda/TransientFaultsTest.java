package dev.trawl.aws.lambda;

import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransientFaultsTest {

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
    }

    @Test
    void awsBusyAnswersAndServerErrorsAreTransient() {
        assertTrue(TransientFaults.isTransient(s3(503, "SlowDown")), "S3 throttling");
        assertTrue(TransientFaults.isTransient(s3(500, "InternalError")), "a 500");
        assertTrue(TransientFaults.isTransient(ProvisionedThroughputExceededException.builder().statusCode(400)
                .message("throughput").build()), "DynamoDB throttling, a 400");
        assertTrue(TransientFaults.isTransient(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build()));
        assertTrue(TransientFaults.isTransient(SqsException.builder().statusCode(429).build()), "429");
    }

    @Test
    void sdkClientErrorsTimeOutsAndIoAreTransientAlsoWhenWrapped() {
        assertTrue(TransientFaults.isTransient(SdkClientException.create("Unable to execute HTTP request: Connection reset")));
        assertTrue(TransientFaults.isTransient(ApiCallTimeoutException.create(30_000)));
        assertTrue(TransientFaults.isTransient(new UncheckedIOException(new SocketTimeoutException("read timed out"))));
        assertTrue(TransientFaults.isTransient(new IllegalStateException("reading the chunk",
                SdkClientException.create("connection refused"))));
    }

    @Test
    void aTransactionCancelledByAConflictIsTransientByAFailedConditionIsNot() {
        CancellationReason none = CancellationReason.builder().code("None").build();
        assertTrue(TransientFaults.isTransient(TransactionCanceledException.builder().cancellationReasons(none,
                CancellationReason.builder().code("TransactionConflict").build()).build()));
        assertFalse(TransientFaults.isTransient(TransactionCanceledException.builder().cancellationReasons(
                CancellationReason.builder().code("ConditionalCheckFailed").build(),
                CancellationReason.builder().code("TransactionConflict").build()).build()));
        assertFalse(TransientFaults.isTransient(TransactionCanceledException.builder().build()), "no reasons given");
    }

    @Test
    void refusalsBugsAndUnreadableDocumentsAreNotTransient() {
        assertFalse(TransientFaults.isTransient(ConditionalCheckFailedException.builder().statusCode(400).build()));
        assertFalse(TransientFaults.isTransient(ResourceNotFoundException.builder().statusCode(400).build()));
        assertFalse(TransientFaults.isTransient(NoSuchKeyException.builder().statusCode(404).build()));
        assertFalse(TransientFaults.isTransient(s3(403, "AccessDenied")));
        assertFalse(TransientFaults.isTransient(new NullPointerException()));
        assertFalse(TransientFaults.isTransient(new IllegalArgumentException("bad chunk task")));
        // Jackson's parse errors are IOExceptions, but a document that does not parse will not parse next time
        assertFalse(TransientFaults.isTransient(new UncheckedIOException(new JsonParseException(null, "bad json"))));
        assertFalse(TransientFaults.isTransient(new IOException("stream", new JsonParseException(null, "bad"))));
    }
}
