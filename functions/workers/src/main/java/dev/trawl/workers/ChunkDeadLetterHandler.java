package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.lambda.Redelivery;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ProcessChunk;

import java.time.Clock;

/** Chunk dead-letter queue → {@link ProcessChunk#failChunk}: a chunk that failed on every delivery still ends in rows. */
public final class ChunkDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("dead-letter");
    private final ProcessChunk processChunk;
    private final Redelivery redelivery;

    public ChunkDeadLetterHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private ChunkDeadLetterHandler(AwsPorts ports) {
        // No fetcher: a dead chunk's lines are written as rows, never fetched.
        this(new ProcessChunk(ports.jobs(), ports.ledger(), ports.blobs(), ports.queue(), null, Clock.systemUTC()), SqsRedelivery.fromConfig(ports.config()));
    }

    public ChunkDeadLetterHandler(ProcessChunk processChunk) {
        this(processChunk, Redelivery.NONE);
    }

    public ChunkDeadLetterHandler(ProcessChunk processChunk, Redelivery redelivery) {
        this.processChunk = processChunk;
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.run(event, ChunkTask.class, LOG, redelivery, processChunk::failChunk);
    }
}
