package dev.trawl.aws;

import dev.trawl.core.job.JobStatus;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;

import java.util.Map;

import static dev.trawl.aws.DynamoTable.jobKey;
import static dev.trawl.aws.DynamoTable.s;

/**
 * {@link JobRemoval} on the table: the job's item by a conditional delete (terminal only), then the items of the job's
 * own partition (chunk commits, webhook deliveries), 25 to a batch.
 */
public final class DynamoJobRemoval implements JobRemoval {
    private final DynamoTable table;

    public DynamoJobRemoval(DynamoTable table) {
        this.table = table;
    }

    @Override
    public JobStore.Purge removeRecord(String tenant, String jobId) {
        boolean removed = table.deleteIf(jobKey(tenant, jobId),
                "attribute_exists(pk) AND #status IN (:completed, :failed, :cancelled)",
                Map.of(":completed", s(JobStatus.COMPLETED.wire()), ":failed", s(JobStatus.FAILED.wire()),
                        ":cancelled", s(JobStatus.CANCELLED.wire())));
        if (removed) {
            return JobStore.Purge.REMOVED;
        }
        return table.read(jobKey(tenant, jobId)).isPresent() ? JobStore.Purge.ACTIVE : JobStore.Purge.ABSENT;
    }

    @Override
    public void removeRemnants(String jobId) {
        table.deleteAll(table.keptBeside(jobId));
    }
}
