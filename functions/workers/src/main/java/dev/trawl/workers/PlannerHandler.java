package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.Redelivery;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.plan.PlanJob;
import dev.trawl.core.util.Log;

import java.time.Clock;
import java.time.Instant;

/** Plan queue → {@link PlanJob}. */
public final class PlannerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("planner");
    private final PlanJob planJob;
    private final Redelivery redelivery;

    public PlannerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private PlannerHandler(AwsPorts ports) {
        this(new PlanJob(ports.jobs(), ports.deliveries(), ports.planLeases(), ports.ledger(), ports.blobs(), ports.queue(),
                Clock.systemUTC(), ports.config().chunkSize(), ports.external()), SqsRedelivery.fromConfig(ports.config()));
    }

    public PlannerHandler(PlanJob planJob) {
        this(planJob, Redelivery.NONE);
    }

    public PlannerHandler(PlanJob planJob, Redelivery redelivery) {
        this.planJob = planJob;
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // the plan checkpoints and goes on in a new invocation before this one's time is up
        Instant deadline = context == null ? null : Instant.now().plusMillis(context.getRemainingTimeInMillis());
        return SqsBatch.run(event, JobRef.class, LOG, redelivery, ref -> planJob.plan(ref, deadline));
    }
}
