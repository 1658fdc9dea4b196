package dev.trawl.local;

import dev.trawl.aws.DynamoApiKeyAdmin;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.auth.OperatorKeys;
import dev.trawl.core.auth.TenantId;
import dev.trawl.core.port.ApiKeyAdmin.KeyEntry;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code trawl keys create|list|revoke}: API keys for operators, on the running local stack (by default) or on a
 * deployed stack's table with the default AWS credentials ({@code --table}). A new key is printed once; only its
 * SHA-256 hash is stored.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes API keys, on the running local stack or a deployed stack's table.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    /** Where the keys are: the local stack that {@code trawl serve} runs, or a deployed table. */
    static final class Target {
        @ArgGroup(exclusive = true)
        Where where = new Where();

        static final class Where {
            @Option(names = "--local", description = "The running local stack ('trawl serve'): the default.")
            boolean local;

            @Option(names = "--state", paramLabel = "FILE",
                    description = "The file where 'trawl serve' tells its table (default: ~/.trawl/local.json).")
            Path state;

            @Option(names = "--table", paramLabel = "NAME",
                    description = "A deployed stack's table (its Table resource), reached with the default AWS credentials.")
            String table;
        }

        @Option(names = "--region", paramLabel = "REGION", description = "The deployed table's region (with --table).")
        String region;

        @Option(names = "--profile", paramLabel = "PROFILE",
                description = "A profile of the AWS config and credentials files (with --table).")
        String profile;

        /** Runs {@code work} on the target's keys; refuses --region and --profile without --table. */
        <T> T with(CommandLine command, Function<OperatorKeys, T> work) {
            if (where.table == null && (region != null || profile != null)) {
                throw new CommandLine.ParameterException(command, "--region and --profile go with --table (a deployed stack)");
            }
            String table;
            DynamoDbClientBuilder builder = DynamoDbClient.builder();
            if (where.table != null) {
                table = where.table;
                if (region != null) {
                    builder.region(Region.of(region));
                }
                if (profile != null) {
                    builder.overrideConfiguration(o -> o.defaultProfileName(profile));
                }
            } else {
                LocalTarget local = LocalTarget.read(where.state != null ? where.state : LocalTarget.defaultFile());
                table = local.table();
                builder.endpointOverride(local.dynamoDbEndpoint()).region(Region.of(local.region()))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(local.accessKeyId(), local.secretAccessKey())));
            }
            try (SdkHttpClient http = UrlConnectionHttpClient.create();
                 DynamoDbClient db = builder.httpClient(http).build()) {
                return work.apply(new OperatorKeys(new DynamoApiKeyAdmin(new DynamoTable(db, table)), Clock.systemUTC()));
            }
        }
    }

    /** What each subcommand shares: the target, and errors as one line and an exit code, not a stack trace. */
    abstract static class KeysSubcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        abstract int run(OperatorKeys keys);

        /** The tenant option, if the command has one: refused before anything is reached. */
        String tenantOption() {
            return null;
        }

        @Override
        public Integer call() {
            String tenant = tenantOption();
            if (tenant != null && !TenantId.isValid(tenant)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tenant: " + TenantId.refusal(tenant));
            }
            try {
                return target.with(spec.commandLine(), this::run);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (IllegalStateException e) {
                err().println(e.getMessage());
                return 1;
            } catch (SdkException e) {
                // no credentials or region, no such table, access denied: AWS's own words say which
                err().println("The call to DynamoDB failed: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes an API key for a tenant and prints it, once: only its hash is stored.")
    static final class Create extends KeysSubcommand {
        @Option(names = "--tenant", required = true, paramLabel = "TENANT",
                description = "The tenant the key authenticates as ([a-z0-9][a-z0-9_-]{0,63}).")
        String tenant;

        @Option(names = "--name", paramLabel = "LABEL", description = "A label for people, shown by 'trawl keys list'.")
        String name;

        @Override
        String tenantOption() {
            return tenant;
        }

        @Override
        int run(OperatorKeys keys) {
            OperatorKeys.NewKey made = keys.create(tenant, name);
            // The key alone on standard output, for a script to take; what it is, on standard error.
            out().println(made.key());
            out().flush();
            err().println("Created " + made.entry().keyId() + " for tenant '" + tenant + "'"
                    + (made.entry().name() == null ? "" : " (" + made.entry().name() + ")")
                    + ". The key above is shown this once: only its SHA-256 hash is stored.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists API keys: id, tenant, name, prefix, created.")
    static final class ListKeys extends KeysSubcommand {
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's keys.")
        String tenant;

        @Override
        String tenantOption() {
            return tenant;
        }

        @Override
        int run(OperatorKeys keys) {
            List<KeyEntry> found = keys.list(tenant);
            if (found.isEmpty()) {
                err().println(tenant == null ? "No keys." : "No keys for tenant '" + tenant + "'.");
                return 0;
            }
            out().print(table(found));
            out().flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes an API key by its id (as 'trawl keys list' shows it): it stops working at once.")
    static final class Revoke extends KeysSubcommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key's id, key_…")
        String keyId;

        @Override
        int run(OperatorKeys keys) {
            Optional<KeyEntry> revoked = keys.revoke(keyId);
            if (revoked.isEmpty()) {
                err().println("No key " + keyId + ": nothing revoked ('trawl keys list' shows the keys).");
                return 1;
            }
            out().println("Revoked " + keyId + " of tenant '" + revoked.get().tenant() + "': it no longer authenticates.");
            out().flush();
            return 0;
        }
    }

    /** The keys as a table with a header row, columns padded to their widest value. */
    static String table(List<KeyEntry> keys) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"KEY ID", "TENANT", "NAME", "PREFIX", "CREATED"});
        for (KeyEntry key : keys) {
            rows.add(new String[]{key.keyId(), key.tenant(), key.name() == null ? "-" : key.name(), key.prefix() + "…",
                    key.createdAt().truncatedTo(ChronoUnit.SECONDS).toString()});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
