package dev.trawl.local.store;

import dev.trawl.aws.DynamoChunkLedger;
import dev.trawl.aws.DynamoIdempotencyKeys;
import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoJobSweeps;
import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoWebhookDeliveries;
import dev.trawl.core.testing.contract.JobTable;
import dev.trawl.local.LocalRuntime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table the contract suites run on: made in the shared runtime's DynamoDB Local exactly as template.yaml makes
 * the service's table, but apart from it, because the runtime's reaper sweeps its own table across tenants every
 * few seconds and would both answer the sweeps' contract with other tests' jobs and act on the contract's jobs.
 */
final class ContractTable {
    private static final String TEMPLATE_TABLE = "Table";
    private static final String NAME = "ContractTable";
    /** Small enough that a few dozen jobs cross a list page's read budget, and a dozen commits cross query pages. */
    private static final int LIST_READ_BUDGET = 8;
    private static final int COMMITS_PER_PAGE = 4;
    private static final Map<LocalRuntime, DynamoTable> TABLES = new ConcurrentHashMap<>();

    private ContractTable() {
    }

    static DynamoTable of(LocalRuntime runtime) {
        return TABLES.computeIfAbsent(runtime, r -> {
            r.createTableLike(TEMPLATE_TABLE, NAME);
            return new DynamoTable(r.clients().dynamoDb(), NAME);
        });
    }

    static JobTable ports(LocalRuntime runtime) {
        DynamoTable table = of(runtime);
        return new JobTable(new DynamoJobStore(table, LIST_READ_BUDGET), new DynamoChunkLedger(table, COMMITS_PER_PAGE),
                new DynamoIdempotencyKeys(table), new DynamoWebhookDeliveries(table), new DynamoJobSweeps(table));
    }
}
