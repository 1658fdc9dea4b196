package dev.trawl.local.iam;

import java.util.List;

/** A principal's identity policies, evaluated as IAM does: an explicit deny wins, then an allow, else denied. */
public record Policy(List<Statement> statements) {
    public static final Policy NONE = new Policy(List.of());

    public Policy {
        statements = List.copyOf(statements);
    }

    public boolean allows(AccessRequest request) {
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.applies(request)) {
                if (!statement.allow()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }
}
