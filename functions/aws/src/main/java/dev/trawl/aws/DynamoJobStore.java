package dev.trawl.aws;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.tenant.Ceilings;
import dev.trawl.core.tenant.TenantUsage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.jobKey;
import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.statusPartition;

/**
 * Jobs in {@link DynamoTable}. Every change is one conditional update of the job's item, so that two steps racing on
 * one job cannot both win; a change of status moves the job in the status index with it.
 */
public final class DynamoJobStore implements JobStore {
    private final DynamoTable table;
    private final DynamoJobList lists;

    public DynamoJobStore(DynamoTable table) {
        this(table, DynamoJobList.READ_BUDGET);
    }

    /** @param listReadBudget the jobs a filtered list page may read from one partition (a test's smaller one crosses it cheaply) */
    public DynamoJobStore(DynamoTable table, int listReadBudget) {
        this.table = table;
        this.lists = new DynamoJobList(table, listReadBudget);
    }

    @Override
    public void create(Job job, Ceilings ceilings) {
        new TenantUsageItems(table).create(job, ceilings, null);
    }

    @Override
    public TenantUsage usage(String tenant) {
        return new TenantUsageItems(table).read(tenant);
    }

    @Override
    public Optional<Job> find(String tenant, String jobId) {
        return table.read(jobKey(tenant, jobId)).map(DynamoTable::toJob);
    }

    @Override
    public JobPage list(String tenant, JobQuery query) {
        return lists.list(tenant, query);
    }

    @Override
    public boolean markPlanned(String tenant, String jobId, long urlsTotal, long urlsFiltered, int chunksTotal, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", s(now.toString()), ":total", n(urlsTotal),
                ":filtered", n(urlsFiltered), ":chunks", n(chunksTotal), ":done", phase(PhaseState.DONE),
                ":running", phase(PhaseState.RUNNING), ":pending", phase(PhaseState.PENDING)));
        String counts = "started_at = :now, updated_at = :now, urls_total = :total, urls_filtered = :filtered, "
                + "chunks_total = :chunks, plan_state = :done, fetch_state = :running";
        Map<String, AttributeValue> queued = new HashMap<>(values);
        queued.put(":queued", status(JobStatus.QUEUED));
        // :running stands for the status and the fetch phase alike: both are spelled "running"
        queued.put(":spk", statusPartition(tenant, JobStatus.RUNNING));
        if (table.update(jobKey(tenant, jobId), "SET #status = :running, status_pk = :spk, " + counts,
                "#status = :queued AND plan_state = :pending", queued)) {
            return true;
        }
        // cancelled before it was planned: the counts are kept, the job stays cancelling
        Map<String, AttributeValue> cancelling = new HashMap<>(values);
        cancelling.put(":cancelling", status(JobStatus.CANCELLING));
        return table.update(jobKey(tenant, jobId), "SET " + counts, "#status = :cancelling AND plan_state = :pending",
                cancelling);
    }

    @Override
    public boolean failPlanning(String tenant, String jobId, Failure failure, Instant now) {
        return new TenantUsageItems(table).toTerminal(jobKey(tenant, jobId), tenant,
                "SET #status = :failed, status_pk = :spk, completed_at = :now, updated_at = :now, plan_state = :failedPhase, "
                        + "fetch_state = :skipped, finalize_state = :skipped, failure_code = :code, failure_message = :message "
                        + "REMOVE active_pk, active_sk",
                "#status IN (:queued, :cancelling) AND plan_state = :pending",
                Map.ofEntries(Map.entry(":failed", status(JobStatus.FAILED)),
                        Map.entry(":spk", statusPartition(tenant, JobStatus.FAILED)), Map.entry(":now", s(now.toString())),
                        Map.entry(":failedPhase", phase(PhaseState.FAILED)), Map.entry(":skipped", phase(PhaseState.SKIPPED)),
                        Map.entry(":code", s(failure.code())), Map.entry(":message", s(failure.message())),
                        Map.entry(":queued", status(JobStatus.QUEUED)), Map.entry(":cancelling", status(JobStatus.CANCELLING)),
                        Map.entry(":pending", phase(PhaseState.PENDING))));
    }

    @Override
    public boolean claimFinalize(String tenant, String jobId, Instant now) {
        return table.update(jobKey(tenant, jobId),
                "SET fetch_state = :done, finalize_state = :running, updated_at = :now",
                "#status IN (:running, :cancelling) AND chunks_done = chunks_total AND finalize_state = :pending",
                // :running stands for the status and the finalize phase alike: both are spelled "running"
                Map.of(":done", phase(PhaseState.DONE), ":running", phase(PhaseState.RUNNING),
                        ":cancelling", status(JobStatus.CANCELLING), ":pending", phase(PhaseState.PENDING),
                        ":now", s(now.toString())));
    }

    @Override
    public boolean claimFinalize(String tenant, String jobId, String claimant, Instant now) {
        return table.update(jobKey(tenant, jobId),
                "SET fetch_state = :done, finalize_state = :running, updated_at = :now, finalize_claimant = :claimant, "
                        + "finalize_claimed_ms = :nowMs",
                "((#status IN (:running, :cancelling) AND chunks_done = chunks_total AND finalize_state = :pending)"
                        + " OR (finalize_state = :running AND finalize_claimant = :claimant AND finalize_claimed_ms <= :ownBefore))",
                Map.of(":done", phase(PhaseState.DONE), ":running", phase(PhaseState.RUNNING),
                        ":cancelling", status(JobStatus.CANCELLING), ":pending", phase(PhaseState.PENDING),
                        ":now", s(now.toString()), ":claimant", s(claimant),
                        ":nowMs", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                        ":ownBefore", AttributeValue.fromN(Long.toString(now.minus(OWN_CLAIM_AGE).toEpochMilli()))));
    }

    @Override
    public void releaseFinalize(String tenant, String jobId) {
        table.update(jobKey(tenant, jobId), "SET fetch_state = :running, finalize_state = :pending REMOVE finalize_claimant, finalize_claimed_ms",
                "finalize_state = :running", Map.of(":running", phase(PhaseState.RUNNING), ":pending", phase(PhaseState.PENDING)));
    }

    @Override
    public boolean cancel(String tenant, String jobId, Instant now) {
        return stop(tenant, jobId, "if_not_exists(stop_reason, :reason)", StopReason.CANCELLED, now);
    }

    @Override
    public boolean expire(String tenant, String jobId, Instant now) {
        return stop(tenant, jobId, ":reason", StopReason.LIFETIME_EXCEEDED, now);
    }

    /** A live job becomes {@code cancelling}, with {@code reason} as the stop reason's new value. */
    private boolean stop(String tenant, String jobId, String reason, StopReason stopReason, Instant now) {
        return table.update(jobKey(tenant, jobId),
                "SET #status = :cancelling, status_pk = :spk, stop_reason = " + reason + ", updated_at = :now",
                "#status IN (:queued, :running)",
                Map.of(":cancelling", status(JobStatus.CANCELLING), ":spk", statusPartition(tenant, JobStatus.CANCELLING),
                        ":reason", s(stopReason.wire()), ":now", s(now.toString()),
                        ":queued", status(JobStatus.QUEUED), ":running", status(JobStatus.RUNNING)));
    }

    @Override
    public boolean stopForErrors(String tenant, String jobId, long allowedErrors, Instant now) {
        return table.update(jobKey(tenant, jobId), "SET stop_reason = :reason, updated_at = :now",
                "urls_errored > :allowed AND attribute_not_exists(stop_reason) AND #status IN (:running, :cancelling)",
                Map.of(":reason", s(StopReason.MAX_ERRORS_EXCEEDED.wire()), ":now", s(now.toString()),
                        ":allowed", n(allowedErrors), ":running", status(JobStatus.RUNNING),
                        ":cancelling", status(JobStatus.CANCELLING)));
    }

    @Override
    public boolean finish(String tenant, String jobId, JobStatus expected, JobStatus terminal, Failure failure,
                          List<ResultPart> parts, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":terminal", status(terminal),
                ":spk", statusPartition(tenant, terminal), ":now", s(now.toString()), ":done", phase(PhaseState.DONE),
                ":parts", DynamoTable.partsValue(parts), ":expected", status(expected)));
        String failureSet = "";
        if (failure != null) {
            failureSet = ", failure_code = :fcode, failure_message = :fmessage";
            values.put(":fcode", s(failure.code()));
            values.put(":fmessage", s(failure.message()));
        }
        return new TenantUsageItems(table).toTerminal(jobKey(tenant, jobId), tenant,
                "SET #status = :terminal, status_pk = :spk, completed_at = :now, updated_at = :now, fetch_state = :done, "
                        + "finalize_state = :done, result_parts = :parts" + failureSet + " REMOVE active_pk, active_sk",
                "#status = :expected", values);
    }

    /** The job's item goes first, so that a purge cut short leaves no job pointing at missing commits. */
    @Override
    public Purge purge(String tenant, String jobId) {
        DynamoJobRemoval removal = new DynamoJobRemoval(table);
        Purge purged = removal.removeRecord(tenant, jobId);
        if (purged == Purge.REMOVED) {
            removal.removeRemnants(jobId);
        }
        return purged;
    }

    private static AttributeValue status(JobStatus status) {
        return s(status.wire());
    }

    private static AttributeValue phase(PhaseState phase) {
        return s(phase.wire());
    }
}
