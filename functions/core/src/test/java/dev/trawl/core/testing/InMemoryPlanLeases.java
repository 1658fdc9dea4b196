package dev.trawl.core.testing;

import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.PlanLeases;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link PlanLeases} in a map, for the jobs of a {@link JobStore} (like the real ones, only on an existing job). */
public final class InMemoryPlanLeases implements PlanLeases {
    private final JobStore jobs;
    private final Map<String, Lease> leases = new HashMap<>();

    private static final class Lease {
        String owner;
        Instant until;
        Instant since;
        int attempts;
        PlanCheckpoint checkpoint;
    }

    public InMemoryPlanLeases(JobStore jobs) {
        this.jobs = jobs;
    }

    @Override
    public synchronized Optional<Planning> take(String tenant, String jobId, String owner, Instant now, Instant until) {
        if (jobs.find(tenant, jobId).isEmpty()) {
            return Optional.empty();
        }
        Lease lease = leases.computeIfAbsent(tenant + "/" + jobId, key -> new Lease());
        if (lease.owner != null && !lease.owner.equals(owner) && lease.until.isAfter(now)) {
            return Optional.empty();
        }
        lease.owner = owner;
        lease.until = until;
        if (lease.since == null) {
            lease.since = now;
        }
        lease.attempts++;
        return Optional.of(new Planning(lease.since, lease.attempts, lease.checkpoint));
    }

    @Override
    public synchronized boolean checkpoint(String tenant, String jobId, String owner, PlanCheckpoint checkpoint, Instant until) {
        Lease lease = held(tenant, jobId, owner);
        if (lease == null) {
            return false;
        }
        lease.checkpoint = checkpoint;
        lease.attempts = 0;
        lease.until = until;
        return true;
    }

    @Override
    public synchronized void release(String tenant, String jobId, String owner) {
        Lease lease = held(tenant, jobId, owner);
        if (lease != null) {
            lease.until = Instant.EPOCH;
        }
    }

    private Lease held(String tenant, String jobId, String owner) {
        Lease lease = leases.get(tenant + "/" + jobId);
        return lease == null || !owner.equals(lease.owner) || jobs.find(tenant, jobId).isEmpty() ? null : lease;
    }
}
