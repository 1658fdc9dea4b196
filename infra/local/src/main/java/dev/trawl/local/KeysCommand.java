package dev.trawl.local;

import dev.trawl.aws.DynamoApiKeyAdmin;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.auth.OperatorKeys;
import dev.trawl.core.port.ApiKeyAdmin.KeyEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code trawl keys create|list|revoke}: API keys for operators, on the running local stack (by default) or on a
 * deployed stack's table with the default AWS credentials ({@code --table}). A new key is printed once; only its
 * SHA-256 hash is stored.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes API keys, on the running local stack or a deployed stack's table.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    /** A keys subcommand: its work on the target's keys. */
    abstract static class KeysSubcommand extends TableCommand {
        abstract int run(OperatorKeys keys);

        @Override
        int run(DynamoTable table) {
            return run(new OperatorKeys(new DynamoApiKeyAdmin(table), Clock.systemUTC()));
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
        String tenant() {
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
        String tenant() {
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
        return Columns.format(rows);
    }
}
