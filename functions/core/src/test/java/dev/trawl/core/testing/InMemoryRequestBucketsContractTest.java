package dev.trawl.core.testing;

import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.testing.contract.RequestBucketsContract;

/** The fake keeps the {@link RequestBuckets} contract that DynamoDB keeps. */
class InMemoryRequestBucketsContractTest extends RequestBucketsContract {
    @Override
    protected RequestBuckets buckets() {
        return new InMemoryRequestBuckets();
    }
}
