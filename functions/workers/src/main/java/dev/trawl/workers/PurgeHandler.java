package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.core.manage.PurgeJobFiles;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Log;

/** Purge queue → {@link PurgeJobFiles}: a removed job's files and the table's items beside it. */
public final class PurgeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("purger");
    private final PurgeJobFiles purge;

    public PurgeHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private PurgeHandler(AwsPorts ports) {
        this(new PurgeJobFiles(ports.removal(), ports.blobs()));
    }

    public PurgeHandler(PurgeJobFiles purge) {
        this.purge = purge;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.run(event, JobRef.class, LOG, purge::purge);
    }
}
