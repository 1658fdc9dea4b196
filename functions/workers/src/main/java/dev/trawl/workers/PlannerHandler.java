package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.util.Log;

import java.time.Clock;
import java.time.Instant;

/** Plan queue → {@link PlanJob}. */
public final class PlannerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("planner");
    private final PlanJob planJob;

    public PlannerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private PlannerHandler(AwsPorts ports) {
        this(new PlanJob(ports.jobs(), ports.deliveries(), ports.planLeases(), ports.ledger(), ports.blobs(), ports.queue(),
                Clock.systemUTC(), ports.config().chunkSize(), ports.external()));
    }

    public PlannerHandler(PlanJob planJob) {
        this.planJob = planJob;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // the plan checkpoints and goes on in a new invocation before this one's time is up
        Instant deadline = context == null ? null : Instant.now().plusMillis(context.getRemainingTimeInMillis());
        return SqsBatch.run(event, JobRef.class, LOG, ref -> planJob.plan(ref, deadline));
    }
}
