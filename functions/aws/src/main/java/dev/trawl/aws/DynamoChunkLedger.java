package dev.trawl.aws;

import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.port.ChunkLedger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.trawl.aws.DynamoTable.jobKey;
import static dev.trawl.aws.DynamoTable.n;
import static dev.trawl.aws.DynamoTable.s;

/**
 * Chunk commits in the job's own partition of {@link DynamoTable}, and what they add up to on the job's item. A
 * commit is one transaction: the commit's item, new, and the job's sums; so a chunk delivered twice counts once.
 */
public final class DynamoChunkLedger implements ChunkLedger {
    /** Chunks of one job commit to one item at once: a conflict is tried again, not failed. */
    private static final int COMMIT_ATTEMPTS = 9;
    private static final int COMMITS_PER_PAGE = 500;

    private final DynamoTable table;
    private final int commitsPerPage;

    public DynamoChunkLedger(DynamoTable table) {
        this(table, COMMITS_PER_PAGE);
    }

    /** @param commitsPerPage commits read per query while iterating (a test's smaller page crosses pages cheaply) */
    public DynamoChunkLedger(DynamoTable table, int commitsPerPage) {
        this.table = table;
        this.commitsPerPage = commitsPerPage;
    }

    @Override
    public ChunkCommit commitChunk(String tenant, String jobId, ChunkResult result, Instant now) {
        Put commit = Put.builder().tableName(table.name()).item(DynamoTable.chunkItem(jobId, result, now))
                .conditionExpression("attribute_not_exists(pk)").build();
        DynamoTable.Expression sums = DynamoTable.chunkSums(result, now);
        Update job = Update.builder().tableName(table.name()).key(jobKey(tenant, jobId))
                .updateExpression(sums.update()).conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(sums.names()).expressionAttributeValues(sums.values()).build();
        return switch (table.transact(COMMIT_ATTEMPTS, TransactWriteItem.builder().put(commit).build(),
                TransactWriteItem.builder().update(job).build())) {
            case DynamoTable.Transacted.Written written -> ChunkCommit.COMMITTED;
            case DynamoTable.Transacted.Refused refused when refused.by(0) -> ChunkCommit.ALREADY_COMMITTED;
            // no such job of this tenant
            case DynamoTable.Transacted.Refused refused -> throw refused.cause();
        };
    }

    @Override
    public Optional<ChunkResult> committedChunk(String jobId, int chunk, int start) {
        return table.read(DynamoTable.chunkKey(jobId, chunk, start)).map(DynamoTable::toChunk);
    }

    @Override
    public Iterable<ChunkResult> committedChunks(String jobId) {
        QueryRequest.Builder commits = QueryRequest.builder().consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :chunks)")
                .expressionAttributeValues(Map.of(":pk", DynamoTable.jobPartition(jobId), ":chunks", DynamoTable.chunkPrefix()))
                .limit(commitsPerPage);
        return () -> table.query(commits).stream().map(DynamoTable::toChunk).iterator();
    }

    @Override
    public void recordMaxFetchMs(String tenant, String jobId, long millis) {
        table.update(jobKey(tenant, jobId), "SET fetch_ms_max = :m",
                "(attribute_not_exists(fetch_ms_max) OR fetch_ms_max < :m)", Map.of(":m", n(millis)));
    }

    @Override
    public void sampleProgress(String tenant, String jobId, Instant now, long minAgeSeconds) {
        Map<String, AttributeValue> values = Map.of(":now", s(now.toString()),
                ":cutoff", s(now.minusSeconds(minAgeSeconds).toString()));
        if (!table.update(jobKey(tenant, jobId),
                "SET rate_prev_at = rate_at, rate_prev_done = rate_done, rate_at = :now, rate_done = urls_done",
                "attribute_exists(rate_at) AND rate_at < :cutoff", values)) {
            table.update(jobKey(tenant, jobId), "SET rate_at = :now, rate_done = urls_done",
                    "attribute_not_exists(rate_at)", Map.of(":now", s(now.toString())));
        }
    }

    @Override
    public Optional<JobMetrics> metrics(String tenant, String jobId) {
        return table.read(jobKey(tenant, jobId)).map(DynamoTable::toMetrics);
    }
}
