package dev.trawl.local;

import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoTenants;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.http.CreateJobRequest;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.tenant.TenantOverrides;
import dev.trawl.core.tenant.TenantOverrides.Limit;
import dev.trawl.core.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code trawl tenants set|show|reset}: a tenant's own settings (its limits, the job defaults of its inbox drops), on
 * the running local stack or a deployed stack's table, as {@code trawl keys} reaches them. What a tenant does not set
 * is the deployment's default, the {@code Tenant*} template parameters.
 */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "Sets, shows and resets a tenant's limits and inbox job defaults, on the running local stack or "
                + "a deployed stack's table.",
        subcommands = {TenantsCommand.Set.class, TenantsCommand.Show.class, TenantsCommand.Reset.class})
final class TenantsCommand {
    /** The word that gives a setting back to the deployment's default. */
    static final String DEFAULT = "default";

    /** A subcommand on one tenant, named by its first parameter. */
    abstract static class TenantSubcommand extends TableCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant ([a-z0-9][a-z0-9_-]{0,63}).")
        String tenant;

        @Override
        String tenant() {
            return tenant;
        }

        @Override
        String tenantLabel() {
            return "TENANT";
        }

        abstract int run(String tenant, DynamoTenants tenants);

        @Override
        int run(DynamoTable table) {
            return run(tenant, new DynamoTenants(table));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Sets a tenant's limits or inbox job defaults; what is not given keeps its current value, "
                    + "'default' gives it back to the deployment's default.")
    static final class Set extends TenantSubcommand {
        @Option(names = "--requests-per-second", paramLabel = "N|default",
                description = "Requests per second the tenant's bucket refills with (1 to 10,000).")
        String requestsPerSecond;

        @Option(names = "--burst", paramLabel = "N|default",
                description = "The most requests the tenant may make at once (1 to 100,000).")
        String burst;

        @Option(names = "--max-active-jobs", paramLabel = "N|default",
                description = "The most live jobs the tenant may have (1 to 100,000).")
        String maxActiveJobs;

        @Option(names = "--max-concurrency", paramLabel = "N|default",
                description = "The most concurrency the tenant's live jobs may hold together (1 to 1,000,000).")
        String maxConcurrency;

        @Option(names = "--job-defaults", paramLabel = "FILE|-|default",
                description = "The job settings of the tenant's inbox drops: a JSON object of a job request's fields "
                        + "(concurrency, output, defaults, max_errors, …; no name, input or webhook), from a file or "
                        + "standard input (-).")
        String jobDefaults;

        /** Standard input, for {@code --job-defaults -}; tests give their own. */
        InputStream in = System.in;

        private JobSettings parsedJobDefaults;

        @Override
        void validate() {
            if (requestsPerSecond == null && burst == null && maxActiveJobs == null && maxConcurrency == null
                    && jobDefaults == null) {
                throw new IllegalArgumentException("Nothing to set: give at least one of --requests-per-second, --burst, "
                        + "--max-active-jobs, --max-concurrency, --job-defaults ('trawl tenants reset' removes all)");
            }
            change(requestsPerSecond, Limit.REQUESTS_PER_SECOND, null);
            change(burst, Limit.BURST, null);
            change(maxActiveJobs, Limit.MAX_ACTIVE_JOBS, null);
            change(maxConcurrency, Limit.MAX_CONCURRENCY, null);
            if (jobDefaults != null && !jobDefaults.equals(DEFAULT)) {
                parsedJobDefaults = jobDefaults(read(jobDefaults));
            }
        }

        @Override
        int run(String tenant, DynamoTenants tenants) {
            TenantOverrides now = tenants.overrides(tenant).orElse(TenantOverrides.NONE);
            TenantOverrides next = new TenantOverrides(
                    change(requestsPerSecond, Limit.REQUESTS_PER_SECOND, now.requestsPerSecond()),
                    change(burst, Limit.BURST, now.burst()),
                    change(maxActiveJobs, Limit.MAX_ACTIVE_JOBS, now.maxActiveJobs()),
                    change(maxConcurrency, Limit.MAX_CONCURRENCY, now.maxConcurrency()),
                    jobDefaults == null ? now.jobDefaults() : parsedJobDefaults);
            tenants.putOverrides(tenant, next);
            out().print(describe(tenant, next));
            out().flush();
            err().println("Set. API and upload-trigger containers cache a tenant's settings for up to 30 seconds.");
            return 0;
        }

        /** The limit's new value: the current one when not given, null for {@code default}, else the number in range. */
        private static Integer change(String given, Limit limit, Integer current) {
            if (given == null) {
                return current;
            }
            if (given.equals(DEFAULT)) {
                return null;
            }
            try {
                return limit.check(Long.parseLong(given.strip().replace("_", "").replace(",", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + limit.option + " must be a whole number or 'default', not '"
                        + given + "'");
            }
        }

        private String read(String source) {
            try {
                byte[] bytes = source.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(source));
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--job-defaults: could not read " + source + ": " + e.getMessage());
            }
        }
    }

    /** Job defaults from the JSON of a job request's fields, checked by the API's own parser. */
    static JobSettings jobDefaults(String json) {
        try {
            return CreateJobRequest.parseJobDefaults(json);
        } catch (InvalidInput e) {
            throw new IllegalArgumentException("--job-defaults: " + (e.field() == null ? "" : e.field() + ": ")
                    + e.getMessage());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a tenant's effective settings: its own, and which are the deployment's defaults.")
    static final class Show extends TenantSubcommand {
        @Override
        int run(String tenant, DynamoTenants tenants) {
            out().print(describe(tenant, tenants.overrides(tenant).orElse(TenantOverrides.NONE)));
            out().flush();
            return 0;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Removes a tenant's own settings: it has the deployment's defaults again.")
    static final class Reset extends TenantSubcommand {
        @Override
        int run(String tenant, DynamoTenants tenants) {
            boolean had = tenants.reset(tenant);
            out().println(had ? "Reset tenant '" + tenant + "': it has the deployment's defaults again."
                    : "Tenant '" + tenant + "' had no settings of its own: nothing to reset.");
            out().flush();
            return 0;
        }
    }

    /**
     * The tenant's settings, one a line: the value and where it comes from ({@code tenant}, or the deployment default
     * and the template parameter that sets it). The local stack's parameters are not known here either: a stack
     * started with other values than the template's defaults would make a number shown here wrong, so none is.
     */
    static String describe(String tenant, TenantOverrides own) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"SETTING", "VALUE", "FROM"});
        limit(rows, Limit.REQUESTS_PER_SECOND, own.requestsPerSecond(), "TenantRequestsPerSecond");
        limit(rows, Limit.BURST, own.burst(), "TenantRequestBurst");
        limit(rows, Limit.MAX_ACTIVE_JOBS, own.maxActiveJobs(), "TenantMaxActiveJobs");
        limit(rows, Limit.MAX_CONCURRENCY, own.maxConcurrency(), "TenantMaxConcurrency");
        rows.add(own.jobDefaults() == null
                ? new String[]{"job-defaults", "-", "a job request's defaults"}
                : new String[]{"job-defaults", Json.write(own.jobDefaults()), "tenant"});
        return "Tenant '" + tenant + "'" + (own.isEmpty() ? " (no settings of its own)" : "") + "\n"
                + Columns.format(rows);
    }

    private static void limit(List<String[]> rows, Limit limit, Integer own, String parameter) {
        rows.add(own == null
                ? new String[]{limit.option, "-", "deployment default (template parameter " + parameter + ")"}
                : new String[]{limit.option, String.valueOf(own), "tenant"});
    }
}
