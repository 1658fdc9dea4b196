package dev.trawl.aws;

import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.port.ApiKeyStore;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.port.PurgeRequests;
import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.Tenants;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.tenant.TenantSettings;

import java.time.Clock;

/**
 * The ports, implemented on AWS, for the handlers' no-arg constructors. {@code secrets} is null without
 * {@code KMS_KEY_ID}; the functions that seal or open secrets require it.
 */
public record AwsPorts(Config config, JobStore jobs, ChunkLedger ledger, IdempotencyKeys idempotencyKeys,
                       WebhookDeliveries deliveries, JobSweeps sweeps, ApiKeyStore keys, BlobStore blobs, WorkQueue queue,
                       UploadStore uploads, ExternalObjects external, Secrets secrets, Tenants tenants,
                       RequestBuckets requestBuckets, PlanLeases planLeases, JobRemoval removal, PurgeRequests purges) {

    /** Reads the environment once and builds the clients of this container. */
    public static AwsPorts fromEnvironment() {
        Config config = Config.fromEnv();
        AwsClients clients = new AwsClients(config);
        DynamoTable table = new DynamoTable(clients.dynamoDb(), config.tableName());
        return new AwsPorts(config, new DynamoJobStore(table), new DynamoChunkLedger(table),
                new DynamoIdempotencyKeys(table), new DynamoWebhookDeliveries(table), new DynamoJobSweeps(table),
                new DynamoApiKeyStore(table),
                new S3BlobStore(clients.s3(), clients.presigner(), config.bucket()),
                new SqsWorkQueue(clients.sqs(), config.planQueueUrl(), config.chunkQueueUrl(), config.finalizeQueueUrl(),
                        config.webhookQueueUrl()),
                new DynamoUploadStore(table),
                new S3ExternalObjects(clients.s3(), clients::sts, clients::s3With),
                config.kmsKeyId() == null ? null : new KmsSecrets(clients::kms, config.kmsKeyId()),
                new DynamoTenants(table, config.tenantLimits()), new DynamoRequestBuckets(table),
                new DynamoPlanLeases(table), new DynamoJobRemoval(table),
                new SqsPurgeRequests(clients.sqs(), config.purgeQueueUrl()));
    }

    /** The tenants' settings as this container sees them (cached), the deployment's default limits for the rest. */
    public TenantSettingsCache tenantSettings() {
        return new TenantSettingsCache(tenants, new TenantSettings(config.tenantLimits(), null), Clock.systemUTC());
    }
}
