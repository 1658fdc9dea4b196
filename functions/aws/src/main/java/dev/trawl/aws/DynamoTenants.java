package dev.trawl.aws;

import dev.trawl.core.job.JobSettings;
import dev.trawl.core.port.Tenants;
import dev.trawl.core.tenant.TenantLimits;
import dev.trawl.core.tenant.TenantOverrides;
import dev.trawl.core.tenant.TenantSettings;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.s;
import static dev.trawl.aws.DynamoTable.str;

/**
 * Tenants' settings in {@link DynamoTable}, one item per tenant at {@code pk = TN#tenant, sk = SETTINGS}: the limits as
 * numbers, the inbox job defaults as the stored form of job settings (JSON). Each attribute is optional: one the item
 * lacks is the deployment's default ({@code trawl tenants set} writes only what the operator set). Read eventually: the
 * callers cache them for longer than a write takes to show.
 */
public final class DynamoTenants implements Tenants {
    private final DynamoTable table;
    private final TenantLimits deployment;

    public DynamoTenants(DynamoTable table) {
        this(table, TenantLimits.DEFAULTS);
    }

    /** @param deployment the limits an item's missing attributes stand for (the {@code Tenant*} template parameters) */
    public DynamoTenants(DynamoTable table, TenantLimits deployment) {
        this.table = table;
        this.deployment = deployment;
    }

    @Override
    public Optional<TenantSettings> find(String tenant) {
        return table.readEventually(DynamoTable.tenantSettingsKey(tenant))
                .map(item -> toOverrides(item).over(deployment));
    }

    @Override
    public void put(String tenant, TenantSettings settings) {
        TenantLimits limits = settings.limits();
        write(tenant, limits.requestsPerSecond(), limits.burst(), limits.maxActiveJobs(), limits.maxConcurrency(),
                settings.jobDefaults());
    }

    /** What the tenant's item sets of its own (read consistently, for an operator changing it), or empty without one. */
    public Optional<TenantOverrides> overrides(String tenant) {
        return table.read(DynamoTable.tenantSettingsKey(tenant)).map(DynamoTenants::toOverrides);
    }

    /** Replaces the tenant's item with what it sets; setting nothing removes it (the deployment's settings again). */
    public void putOverrides(String tenant, TenantOverrides overrides) {
        if (overrides.isEmpty()) {
            reset(tenant);
            return;
        }
        write(tenant, overrides.requestsPerSecond(), overrides.burst(), overrides.maxActiveJobs(),
                overrides.maxConcurrency(), overrides.jobDefaults());
    }

    /** Removes the tenant's item; true when it had one. */
    public boolean reset(String tenant) {
        return table.deleteIf(DynamoTable.tenantSettingsKey(tenant), "attribute_exists(pk)", null);
    }

    private void write(String tenant, Integer requestsPerSecond, Integer burst, Integer maxActiveJobs,
                       Integer maxConcurrency, JobSettings jobDefaults) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoTable.tenantSettingsKey(tenant));
        item.put("tenant", s(tenant));
        putNumber(item, "requests_per_s", requestsPerSecond);
        putNumber(item, "burst", burst);
        putNumber(item, "max_active_jobs", maxActiveJobs);
        putNumber(item, "max_concurrency", maxConcurrency);
        if (jobDefaults != null) {
            item.put("job_defaults", s(Json.write(jobDefaults)));
        }
        table.put(item);
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, Integer value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }

    private static TenantOverrides toOverrides(Map<String, AttributeValue> item) {
        return new TenantOverrides(number(item, "requests_per_s"), number(item, "burst"),
                number(item, "max_active_jobs"), number(item, "max_concurrency"),
                item.containsKey("job_defaults") ? Json.read(str(item, "job_defaults"), JobSettings.class) : null);
    }

    private static Integer number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : Integer.valueOf(value.n());
    }
}
