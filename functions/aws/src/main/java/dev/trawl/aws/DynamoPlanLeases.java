package dev.trawl.aws;

import dev.trawl.core.port.PlanLeases;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.jobKey;
import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.num;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/**
 * Planning leases on the job's own item: {@code plan_lease_owner} and {@code plan_lease_until} (epoch milliseconds),
 * taken by a conditional update so that of two planners exactly one holds it; {@code plan_since} and
 * {@code plan_attempts}; the checkpoint as {@code plan_chunk_size}, {@code plan_chunks}, {@code plan_entries},
 * {@code plan_kept}, {@code plan_filtered} and {@code plan_input_etag}. None of them is part of the job as the API shows it.
 */
public final class DynamoPlanLeases implements PlanLeases {
    private final DynamoTable table;

    public DynamoPlanLeases(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Optional<Planning> take(String tenant, String jobId, String owner, Instant now, Instant until) {
        boolean taken = table.update(jobKey(tenant, jobId),
                "SET plan_lease_owner = :owner, plan_lease_until = :until, plan_since = if_not_exists(plan_since, :now) "
                        + "ADD plan_attempts :one",
                "(attribute_not_exists(plan_lease_until) OR plan_lease_until <= :nowms OR plan_lease_owner = :owner)",
                Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()), ":now", s(now.toString()),
                        ":nowms", n(now.toEpochMilli()), ":one", n(1)));
        if (!taken) {
            return Optional.empty();
        }
        // the lease is this planner's now: what the item says of the plan cannot change under it
        return table.read(jobKey(tenant, jobId)).map(DynamoPlanLeases::planning);
    }

    private static Planning planning(Map<String, AttributeValue> item) {
        PlanCheckpoint checkpoint = item.containsKey("plan_chunks")
                ? new PlanCheckpoint((int) num(item, "plan_chunk_size"), (int) num(item, "plan_chunks"),
                num(item, "plan_entries"), num(item, "plan_kept"), num(item, "plan_filtered"), str(item, "plan_input_etag"))
                : null;
        return new Planning(Instant.parse(str(item, "plan_since")), (int) num(item, "plan_attempts"), checkpoint);
    }

    @Override
    public boolean checkpoint(String tenant, String jobId, String owner, PlanCheckpoint checkpoint, Instant until) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()),
                ":zero", n(0), ":size", n(checkpoint.chunkSize()), ":chunks", n(checkpoint.chunks()),
                ":entries", n(checkpoint.entries()), ":kept", n(checkpoint.kept()), ":filtered", n(checkpoint.filtered())));
        String etag = "";
        if (checkpoint.inputEtag() != null) {
            values.put(":etag", s(checkpoint.inputEtag()));
            etag = ", plan_input_etag = :etag";
        }
        return table.update(jobKey(tenant, jobId),
                "SET plan_lease_until = :until, plan_attempts = :zero, plan_chunk_size = :size, plan_chunks = :chunks, "
                        + "plan_entries = :entries, plan_kept = :kept, plan_filtered = :filtered" + etag,
                "plan_lease_owner = :owner", values);
    }

    @Override
    public void release(String tenant, String jobId, String owner) {
        table.update(jobKey(tenant, jobId), "SET plan_lease_until = :zero", "plan_lease_owner = :owner",
                Map.of(":owner", s(owner), ":zero", n(0)));
    }
}
