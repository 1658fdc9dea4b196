package dev.trawl.finalizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.Redelivery;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.finalize.FinalizeJob;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.util.Log;

import java.time.Clock;

/** Finalize queue → {@link FinalizeJob}. */
public final class FinalizerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("finalizer");
    private final FinalizeJob finalizeJob;
    private final Redelivery redelivery;

    public FinalizerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private FinalizerHandler(AwsPorts ports) {
        this(new FinalizeJob(ports.jobs(), ports.ledger(), ports.deliveries(), ports.blobs(), ports.queue(), Clock.systemUTC(),
                ports.config().resultSplitBytes(), new ParquetEncoders()), SqsRedelivery.fromConfig(ports.config()));
    }

    public FinalizerHandler(FinalizeJob finalizeJob) {
        this(finalizeJob, Redelivery.NONE);
    }

    public FinalizerHandler(FinalizeJob finalizeJob, Redelivery redelivery) {
        this.finalizeJob = finalizeJob;
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.run(event, JobRef.class, LOG, redelivery, finalizeJob::finalizeJob);
    }
}
