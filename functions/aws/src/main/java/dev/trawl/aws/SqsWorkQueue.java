package dev.trawl.aws;

import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plan, finalize and webhook requests on standard queues, each with its tenant as {@code MessageGroupId}, which makes
 * them SQS fair queues: a tenant with a backlog does not hold back another tenant's messages. Chunks on the FIFO
 * queue, one message group per concurrency slot of a job ({@code jobId#g}) and deduplicated by job and chunk.
 */
public final class SqsWorkQueue implements WorkQueue {
    private final SqsClient sqs;
    private final String planQueueUrl;
    private final String chunkQueueUrl;
    private final String finalizeQueueUrl;
    private final String webhookQueueUrl;

    public SqsWorkQueue(SqsClient sqs, String planQueueUrl, String chunkQueueUrl, String finalizeQueueUrl,
                        String webhookQueueUrl) {
        this.sqs = sqs;
        this.planQueueUrl = planQueueUrl;
        this.chunkQueueUrl = chunkQueueUrl;
        this.finalizeQueueUrl = finalizeQueueUrl;
        this.webhookQueueUrl = webhookQueueUrl;
    }

    @Override
    public void requestPlan(JobRef job) {
        sqs.sendMessage(b -> b.queueUrl(Config.require(planQueueUrl, "PLAN_QUEUE_URL")).messageBody(Json.write(job))
                .messageGroupId(job.tenant()));
    }

    @Override
    public void enqueueChunks(List<ChunkTask> chunks) {
        String queue = Config.require(chunkQueueUrl, "CHUNK_QUEUE_URL");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (ChunkTask chunk : chunks) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(chunk.chunk()))
                    .messageBody(Json.write(chunk))
                    .messageGroupId(chunk.groupId())
                    .messageDeduplicationId(chunk.deduplicationId())
                    .build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        if (response.hasFailed() && !response.failed().isEmpty()) {
            throw new IllegalStateException("the chunk queue refused " + response.failed().size() + " of "
                    + entries.size() + " messages: " + response.failed().getFirst().message());
        }
    }

    @Override
    public void requestFinalize(JobRef job) {
        sqs.sendMessage(b -> b.queueUrl(Config.require(finalizeQueueUrl, "FINALIZE_QUEUE_URL")).messageBody(Json.write(job))
                .messageGroupId(job.tenant()));
    }

    @Override
    public void sendWebhook(WebhookTask task, Duration delay) {
        // rounded up: a message due in 0.4 s sent at once would come back early and be sent again, and again
        long up = (delay.toMillis() + 999) / 1000;
        int seconds = (int) Math.clamp(up, 0, WorkQueue.MAX_DELAY.toSeconds());
        sqs.sendMessage(b -> b.queueUrl(Config.require(webhookQueueUrl, "WEBHOOK_QUEUE_URL"))
                .messageBody(Json.write(task)).messageGroupId(task.tenant()).delaySeconds(seconds));
    }
}
