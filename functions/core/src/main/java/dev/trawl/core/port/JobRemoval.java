package dev.trawl.core.port;

/**
 * A terminal job removed in two steps: its record at once (the job is gone for every reader), then what is kept beside
 * it, by its id alone (its chunk commits, its webhook deliveries), in a step of its own that may take long for a large
 * job and may be repeated.
 */
public interface JobRemoval {

    /**
     * Removes the job's record if it is terminal, and nothing else; {@link JobStore.Purge#ACTIVE} leaves a live job
     * alone, {@link JobStore.Purge#ABSENT} when there is no record.
     */
    JobStore.Purge removeRecord(String tenant, String jobId);

    /** Removes everything kept beside a job whose record is gone; idempotent. */
    void removeRemnants(String jobId);
}
