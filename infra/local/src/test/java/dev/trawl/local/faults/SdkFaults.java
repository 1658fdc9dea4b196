package dev.trawl.local.faults;

import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Faults in the AWS calls of every SDK client in the JVM, for the chaos tests: the SDK loads this interceptor for
 * all its clients (the file {@code software/amazon/awssdk/global/handlers/execution.interceptors} of the test
 * resources names it, so {@code trawl serve} never has it), and the functions' own clients fail as they would against
 * a flaky AWS. Off unless a test switches a fault on.
 *
 * <p>A fault strikes before the call (nothing happened) or, for a call that changes something, after it (it took
 * effect, its answer was lost: what a time-out or a 500 after the commit looks like to the caller). Presigning, a local
 * computation that never fails on AWS, is never struck.
 */
public final class SdkFaults implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> ANSWER_LOST = new ExecutionAttribute<>("TrawlChaosAnswerLost");
    private static final ExecutionAttribute<Planned> PLANNED_AFTER = new ExecutionAttribute<>("TrawlChaosPlannedAfter");
    /** Set, and inherited by the threads it starts, for an invocation the faults spare (see {@link #spared}). */
    private static final InheritableThreadLocal<Boolean> SPARED = new InheritableThreadLocal<>();
    private static volatile double rate;
    private static volatile double answerLostShare;
    private static volatile Set<String> flakyOperations = Set.of();
    private static volatile double attemptRate;
    private static volatile Set<String> flakyAttempts = Set.of();
    private static final List<Planned> planned = new CopyOnWriteArrayList<>();
    private static volatile BiPredicate<String, String> lostMessages = (queue, body) -> false;
    private static volatile String sinkQueueUrl;
    private static volatile int spareFromReceive;
    private static final AtomicInteger injected = new AtomicInteger();
    private static final AtomicInteger answersLost = new AtomicInteger();
    private static final AtomicInteger attemptsLost = new AtomicInteger();
    private static final AtomicInteger lost = new AtomicInteger();

    private record Planned(String operation, Predicate<SdkRequest> matching, AtomicInteger left, boolean afterTheCall,
                           boolean throttled) {
    }

    /** Fails that share of the calls of those operations (e.g. {@code PutObject}, {@code TransactWriteItems}). */
    public static void failAtRate(double share, Set<String> operations) {
        failAtRate(share, operations, 0);
    }

    /**
     * The same; of the calls that fail and change something, {@code afterShare} fail after they took effect (their
     * answer is lost), the others before.
     */
    public static void failAtRate(double share, Set<String> operations, double afterShare) {
        flakyOperations = Set.copyOf(operations);
        answerLostShare = afterShare;
        rate = share;
    }

    /**
     * Loses the answer of that share of the HTTP attempts of those operations after the service handled them (a
     * connection reset on the way back): the SDK's own retry sends the same request again, as it does against AWS.
     */
    public static void loseAttemptAnswersAtRate(double share, Set<String> operations) {
        flakyAttempts = Set.copyOf(operations);
        attemptRate = share;
    }

    /** Fails the next {@code times} calls of an operation, whatever else is switched on. */
    public static void failNext(String operation, int times) {
        failNext(operation, times, request -> true);
    }

    /** Fails the next {@code times} calls of an operation whose request matches (a key, a queue, a body). */
    public static void failNext(String operation, int times, Predicate<SdkRequest> matching) {
        planned.add(new Planned(operation, matching, new AtomicInteger(times), false, false));
    }

    /**
     * Answers the next {@code times} calls of an operation whose request matches as the service does when it throttles
     * (S3's {@code 503 SlowDown}, DynamoDB's and SQS's {@code 400 ThrottlingException}), before the call.
     */
    public static void throttleNext(String operation, int times, Predicate<SdkRequest> matching) {
        planned.add(new Planned(operation, matching, new AtomicInteger(times), false, true));
    }

    /**
     * Fails the next {@code times} calls of an operation whose request matches after they took effect: the caller
     * gets an error, the change is made.
     */
    public static void failNextAfter(String operation, int times, Predicate<SdkRequest> matching) {
        planned.add(new Planned(operation, matching, new AtomicInteger(times), true, false));
    }

    /** Chunk or other SQS messages whose body matches are lost on the way: the send "succeeds", nothing arrives. */
    public static void loseMessages(Predicate<String> body) {
        loseMessages((queue, text) -> body.test(text));
    }

    /**
     * Messages whose queue URL and body match are lost on the way. An entry of a batch is left out of it (unless it is
     * the batch's only one); a single message ({@code SendMessage}, as plan, finalize and webhook requests are sent)
     * is sent to the sink queue given by {@link #lostMessagesGoTo} instead, which no function reads: the send succeeds
     * and nothing arrives where it was sent.
     */
    public static void loseMessages(BiPredicate<String, String> queueUrlAndBody) {
        lostMessages = queueUrlAndBody;
    }

    /** A standard queue no function reads, where lost single messages go. */
    public static void lostMessagesGoTo(String queueUrl) {
        sinkQueueUrl = queueUrl;
    }

    /**
     * Spares the invocations that handle a message received {@code receives} times or more (0: none is spared), so
     * that random faults, like passing ones, never use up a queue's redrive policy by themselves.
     */
    public static void spareFromReceive(int receives) {
        spareFromReceive = receives;
    }

    /** Switches every fault off. */
    public static void clear() {
        rate = 0;
        answerLostShare = 0;
        flakyOperations = Set.of();
        attemptRate = 0;
        flakyAttempts = Set.of();
        planned.clear();
        lostMessages = (queue, body) -> false;
        spareFromReceive = 0;
    }

    /** How many calls failed on purpose (before or after taking effect), and how many messages were lost, since the JVM started. */
    public static int injected() {
        return injected.get();
    }

    /** How many of the injected faults struck after the call took effect. */
    public static int answersLost() {
        return answersLost.get();
    }

    /** How many HTTP attempts' answers were lost (each retried by the SDK). */
    public static int attemptsLost() {
        return attemptsLost.get();
    }

    public static int lost() {
        return lost.get();
    }

    /**
     * Runs an invocation for a message received {@code receiveCount} times; spared from the faults, it and the
     * threads it starts make their calls unharmed.
     */
    public static <T> T spared(int receiveCount, Supplier<T> invocation) {
        int from = spareFromReceive;
        if (from <= 0 || receiveCount < from) {
            return invocation.get();
        }
        Boolean before = SPARED.get();
        SPARED.set(Boolean.TRUE);
        try {
            return invocation.get();
        } finally {
            SPARED.set(before);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null) {
            return; // presigning: no call is made
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        boolean fail = false;
        boolean throttled = false;
        for (Planned plan : planned) {
            if (!plan.operation().equals(operation) || plan.left().get() <= 0 || !plan.matching().test(context.request())) {
                continue;
            }
            if (plan.afterTheCall()) {
                // counted when the call has succeeded: one refused by its condition took no effect
                attributes.putAttribute(PLANNED_AFTER, plan);
                return;
            }
            if (plan.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                fail = true;
                throttled = plan.throttled();
                break;
            }
        }
        if (!fail && rate > 0 && flakyOperations.contains(operation) && !Boolean.TRUE.equals(SPARED.get())
                && ThreadLocalRandom.current().nextDouble() < rate) {
            if (changesSomething(operation) && ThreadLocalRandom.current().nextDouble() < answerLostShare) {
                attributes.putAttribute(ANSWER_LOST, Boolean.TRUE);
                return;
            }
            fail = true;
        }
        if (fail) {
            injected.incrementAndGet();
            if (throttled) {
                String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
                boolean s3 = "S3".equals(service);
                throw AwsServiceException.builder().statusCode(s3 ? 503 : 400)
                        .message("injected throttling of " + operation + " (local chaos test)")
                        .awsErrorDetails(AwsErrorDetails.builder().serviceName(service)
                                .errorCode(s3 ? "SlowDown" : "ThrottlingException").build())
                        .build();
            }
            throw SdkClientException.create("injected fault in " + operation + " (local chaos test)");
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Planned plan = attributes.getAttribute(PLANNED_AFTER);
        if (Boolean.TRUE.equals(attributes.getAttribute(ANSWER_LOST))
                || (plan != null && plan.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
            injected.incrementAndGet();
            answersLost.incrementAndGet();
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            throw SdkClientException.create("injected fault after " + operation + " took effect: its answer was lost "
                    + "(local chaos test)");
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (attemptRate > 0 && flakyAttempts.contains(operation) && !Boolean.TRUE.equals(SPARED.get())
                && ThreadLocalRandom.current().nextDouble() < attemptRate) {
            attemptsLost.incrementAndGet();
            throw RetryableException.create("injected loss of the answer to an attempt of " + operation
                    + " (local chaos test)");
        }
    }

    /** Reads answer with what they read; a lost answer is only a fault of its own for a call that changes something. */
    private static boolean changesSomething(String operation) {
        return !(operation.startsWith("Get") || operation.startsWith("List") || operation.startsWith("Head")
                || operation.startsWith("Receive") || operation.equals("Query") || operation.equals("Scan"));
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendMessageBatchRequest batch) {
            List<SendMessageBatchRequestEntry> kept = batch.entries().stream()
                    .filter(entry -> !lostMessages.test(batch.queueUrl(), entry.messageBody())).toList();
            int dropped = batch.entries().size() - kept.size();
            if (dropped > 0 && !kept.isEmpty()) {
                lost.addAndGet(dropped);
                return batch.toBuilder().entries(kept).build();
            }
        }
        if (context.request() instanceof SendMessageRequest send && sinkQueueUrl != null
                && !sinkQueueUrl.equals(send.queueUrl()) && lostMessages.test(send.queueUrl(), send.messageBody())) {
            lost.incrementAndGet();
            return send.toBuilder().queueUrl(sinkQueueUrl).messageGroupId(null).messageDeduplicationId(null).build();
        }
        return context.request();
    }
}
