package dev.trawl.finalizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.core.finalize.FinalizeJob;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Log;

import java.time.Clock;

/** Finalize queue → {@link FinalizeJob}. */
public final class FinalizerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("finalizer");
    private final FinalizeJob finalizeJob;

    public FinalizerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private FinalizerHandler(AwsPorts ports) {
        this(new FinalizeJob(ports.jobs(), ports.ledger(), ports.deliveries(), ports.blobs(), ports.queue(), Clock.systemUTC(),
                ports.config().resultSplitBytes(), new ParquetEncoders()));
    }

    public FinalizerHandler(FinalizeJob finalizeJob) {
        this.finalizeJob = finalizeJob;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.run(event, JobRef.class, LOG, finalizeJob::finalizeJob);
    }
}
