package dev.trawl.local;

import dev.trawl.aws.DynamoTable;
import dev.trawl.core.auth.TenantId;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What an operator's subcommand on a table shares: the target, the tenant checked before anything is reached, and
 * errors as one line and an exit code, not a stack trace (bad input 2, a failure 1).
 */
abstract class TableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TableTarget target = new TableTarget();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    abstract int run(DynamoTable table);

    /** The tenant the command names, if it names one: refused before anything is reached. */
    String tenant() {
        return null;
    }

    /** How the command's tenant is spelled in a refusal, e.g. {@code --tenant}. */
    String tenantLabel() {
        return "--tenant";
    }

    /** Checks the command's own input before the table is reached; throws {@link IllegalArgumentException}. */
    void validate() {
    }

    @Override
    public Integer call() {
        String tenant = tenant();
        if (tenant != null && !TenantId.isValid(tenant)) {
            throw new CommandLine.ParameterException(spec.commandLine(), tenantLabel() + ": " + TenantId.refusal(tenant));
        }
        try {
            validate();
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
