package dev.trawl.aws;

import dev.trawl.core.job.JobSettings;
import dev.trawl.core.port.Tenants;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.num;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/**
 * Tenants' settings in {@link DynamoTable}, one item per tenant at {@code pk = TN#tenant, sk = SETTINGS}: the limits as
 * numbers, the inbox job defaults as the stored form of job settings (JSON). Read eventually: the callers cache them
 * for longer than a write takes to show.
 */
public final class DynamoTenants implements Tenants {
    private final DynamoTable table;

    public DynamoTenants(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Optional<TenantSettings> find(String tenant) {
        return table.readEventually(DynamoTable.tenantSettingsKey(tenant)).map(item -> new TenantSettings(
                new TenantLimits((int) num(item, "requests_per_s"), (int) num(item, "burst"),
                        (int) num(item, "max_active_jobs"), (int) num(item, "max_concurrency")),
                item.containsKey("job_defaults") ? Json.read(str(item, "job_defaults"), JobSettings.class) : null));
    }

    @Override
    public void put(String tenant, TenantSettings settings) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoTable.tenantSettingsKey(tenant));
        TenantLimits limits = settings.limits();
        item.put("tenant", s(tenant));
        item.put("requests_per_s", n(limits.requestsPerSecond()));
        item.put("burst", n(limits.burst()));
        item.put("max_active_jobs", n(limits.maxActiveJobs()));
        item.put("max_concurrency", n(limits.maxConcurrency()));
        if (settings.jobDefaults() != null) {
            item.put("job_defaults", s(Json.write(settings.jobDefaults())));
        }
        table.put(item);
    }
}
