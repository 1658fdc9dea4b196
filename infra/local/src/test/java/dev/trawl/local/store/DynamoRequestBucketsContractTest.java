package dev.trawl.local.store;

import dev.trawl.aws.DynamoRequestBuckets;
import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.testing.contract.RequestBucketsContract;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DynamoDB adapter keeps the {@link RequestBuckets} contract on DynamoDB Local, races included. */
@ExtendWith(LocalStackExtension.class)
class DynamoRequestBucketsContractTest extends RequestBucketsContract {
    private final RequestBuckets buckets;

    DynamoRequestBucketsContractTest(LocalRuntime runtime) {
        buckets = new DynamoRequestBuckets(ContractTable.of(runtime));
    }

    @Override
    protected RequestBuckets buckets() {
        return buckets;
    }
}
