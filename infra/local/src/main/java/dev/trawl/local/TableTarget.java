package dev.trawl.local;

import dev.trawl.aws.DynamoTable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The table an operator's command ({@code trawl keys}, {@code trawl tenants}) works on: the local stack that
 * {@code trawl serve} runs (the default), or a deployed stack's table with the default AWS credentials.
 */
final class TableTarget {
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

    /** Runs {@code work} on the target's table; refuses --region and --profile without --table. */
    <T> T with(CommandLine command, Function<DynamoTable, T> work) {
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
            return work.apply(new DynamoTable(db, table));
        }
    }
}
