package dev.trawl.aws.lambda;

import com.fasterxml.jackson.core.JacksonException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.util.Set;

/**
 * The one place that tells a transient failure (worth trying again in a few seconds) from the others. Transient: AWS
 * throttling, an AWS 5xx, a transaction cancelled only by a conflict or throttling, the SDK's own client errors (a
 * connection refused or reset, a time-out of the call or an attempt) and I/O errors on the way to or from AWS. Not
 * transient: anything else, a poison message or a bug among them, which keeps the queue's whole visibility time-out.
 */
public final class TransientFaults {
    /** Error codes of AWS's throttling and busy answers, whatever their HTTP status. */
    private static final Set<String> BUSY_CODES = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown", "RequestThrottled",
            "RequestThrottledException", "RequestTimeout", "RequestTimeoutException", "InternalError",
            "InternalServerError", "ServiceUnavailable", "TransactionInProgressException");
    /** A transaction's cancellation reasons that say "try again", beside {@code None} for the items that were fine. */
    private static final Set<String> RETRYABLE_CANCELLATIONS = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    /** How deep a chain of causes is followed (a cycle, or a very long chain, ends the walk). */
    private static final int MAX_DEPTH = 16;

    private TransientFaults() {
    }

    /** True when {@code failure} or one of its causes is transient and none is a message that cannot be parsed. */
    public static boolean isTransient(Throwable failure) {
        boolean transientCause = false;
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof JacksonException) {
                return false; // a body or a stored document that does not parse: it will not parse next time either
            }
            transientCause |= isTransientItself(cause);
        }
        return transientCause;
    }

    private static boolean isTransientItself(Throwable failure) {
        return switch (failure) {
            case TransactionCanceledException cancelled -> cancelledOnlyForNow(cancelled);
            case ProvisionedThroughputExceededException throttled -> true;
            case RequestLimitExceededException throttled -> true;
            case AwsServiceException service -> service.isThrottlingException() || service.statusCode() >= 500
                    || service.statusCode() == 429
                    || (service.awsErrorDetails() != null && BUSY_CODES.contains(service.awsErrorDetails().errorCode()));
            case SdkClientException client -> true;
            case IOException io -> true;
            default -> false;
        };
    }

    /** A transaction cancelled by a conflict or throttling only; a failed condition is an answer, not a fault. */
    private static boolean cancelledOnlyForNow(TransactionCanceledException cancelled) {
        if (!cancelled.hasCancellationReasons()) {
            return false;
        }
        boolean retryable = false;
        for (CancellationReason reason : cancelled.cancellationReasons()) {
            String code = reason.code();
            if (code == null || code.equals("None")) {
                continue;
            }
            if (!RETRYABLE_CANCELLATIONS.contains(code)) {
                return false;
            }
            retryable = true;
        }
        return retryable;
    }
}
