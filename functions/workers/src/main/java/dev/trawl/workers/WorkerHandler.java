package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.Redelivery;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.fetch.Fetcher;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ProcessChunk;

import java.time.Clock;
import java.time.Duration;

/** Chunk queue → {@link ProcessChunk}. The fetcher's HTTP client lives as long as the container. */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("worker");
    private final ProcessChunk processChunk;
    private final Redelivery redelivery;

    public WorkerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private WorkerHandler(AwsPorts ports) {
        this(new ProcessChunk(ports.jobs(), ports.ledger(), ports.blobs(), ports.queue(),
                Fetcher.create(TargetPolicy.publicOnly(ports.config().allowTargets()), Clock.systemUTC(),
                        Duration.ofSeconds(ports.config().retryAfterCapSeconds())),
                Clock.systemUTC()), SqsRedelivery.fromConfig(ports.config()));
    }

    public WorkerHandler(ProcessChunk processChunk) {
        this(processChunk, Redelivery.NONE);
    }

    public WorkerHandler(ProcessChunk processChunk, Redelivery redelivery) {
        this.processChunk = processChunk;
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // The invocation's own deadline: near it the worker commits what it finished and queues the rest.
        return SqsBatch.run(event, ChunkTask.class, LOG, redelivery, task -> processChunk.process(task,
                context == null ? null : Duration.ofMillis(context.getRemainingTimeInMillis())));
    }
}
