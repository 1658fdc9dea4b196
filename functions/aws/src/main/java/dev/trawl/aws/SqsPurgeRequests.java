package dev.trawl.aws;

import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.PurgeRequests;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link PurgeRequests} on the purge queue: a {@link JobRef} per removed job. */
public final class SqsPurgeRequests implements PurgeRequests {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsPurgeRequests(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void requestPurge(JobRef job) {
        // the tenant as message group: a fair queue, so one tenant's bulk removal never holds back another's
        sqs.sendMessage(b -> b.queueUrl(Config.require(queueUrl, "PURGE_QUEUE_URL")).messageBody(Json.write(job))
                .messageGroupId(job.tenant()));
    }
}
