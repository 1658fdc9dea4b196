package dev.trawl.local.iam;

import dev.trawl.core.util.Ids;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Credentials for a client's role, as the local STS hands them out: they read any client's objects, as the client's
 * own policy would let them, but never the service's buckets, which no bucket policy opens to another account.
 */
public final class ClientRoles {
    private static final List<String> READS = List.of("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket");

    private ClientRoles() {
    }

    public static Identities.Identity assume(String roleArn, String session, Set<String> serviceBuckets, Duration lifetime) {
        List<String> service = new ArrayList<>();
        for (String bucket : serviceBuckets) {
            service.add(Arns.bucket(bucket));
            service.add(Arns.bucket(bucket) + "/*");
        }
        List<Statement> statements = new ArrayList<>();
        statements.add(Statement.allow(READS, List.of("*")));
        if (!service.isEmpty()) {
            statements.add(new Statement(false, READS, service, List.of(), List.of()));
        }
        Identities.Identity identity = new Identities.Identity("ASIA" + Ids.secret(12).replaceAll("[^A-Za-z0-9]", "X"),
                Ids.secret(30), "trawl-local-session-" + Ids.secret(12), Identities.now().plus(lifetime),
                new Principal.AssumedRole(roleArn, session, new Policy(statements)));
        Identities.register(identity);
        return identity;
    }
}
