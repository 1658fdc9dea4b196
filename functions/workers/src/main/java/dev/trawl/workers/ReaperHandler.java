package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.reap.ReapJobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The schedule (every minute) → {@link ReapJobs}: jobs past their lifetime stopped, stalled jobs driven on. */
public final class ReaperHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {
    private final ReapJobs reapJobs;

    public ReaperHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private ReaperHandler(AwsPorts ports) {
        this(new ReapJobs(ports.jobs(), ports.sweeps(), ports.queue(), Clock.systemUTC(),
                Duration.ofSeconds(ports.config().stallAfterSeconds())));
    }

    public ReaperHandler(ReapJobs reapJobs) {
        this.reapJobs = reapJobs;
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        // each pass gets its share of the invocation's time (60 s), so that one never starves the other
        ReapJobs.Sweep sweep = reapJobs.reap(context == null ? null : Duration.ofMillis(context.getRemainingTimeInMillis()));
        return Map.of("stopped", sweep.stopped(), "resumed", sweep.resumed());
    }
}
