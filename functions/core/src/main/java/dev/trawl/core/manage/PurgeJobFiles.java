package dev.trawl.core.manage;

import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;

/**
 * The purge queue's consumer: removes a removed job's record (if the request that asked could not), its result and
 * work files and what the table keeps beside it. A 1,000,000-URL job has some 20,000 work files and 10,000 chunk
 * commits, which is why this is not done in the API's request. Idempotent: a redelivery finds less to remove.
 */
public final class PurgeJobFiles {
    private static final Log LOG = Log.of("purger");
    private final JobRemoval removal;
    private final BlobStore blobs;

    public PurgeJobFiles(JobRemoval removal, BlobStore blobs) {
        this.removal = removal;
        this.blobs = blobs;
    }

    public void purge(JobRef ref) {
        // the purge is queued before the record goes: a request that failed in between leaves it to this step
        if (removal.removeRecord(ref.tenant(), ref.jobId()) == JobStore.Purge.ACTIVE) {
            LOG.warn(ref.jobId(), "purge requested for a live job; nothing removed");
            return;
        }
        int results = blobs.deletePrefix(BucketLayout.resultPrefix(ref.tenant(), ref.jobId()));
        int work = blobs.deletePrefix(BucketLayout.workPrefix(ref.jobId()));
        removal.removeRemnants(ref.jobId());
        LOG.info(ref.jobId(), "job's files removed", "result_files", results, "work_files", work);
    }
}
