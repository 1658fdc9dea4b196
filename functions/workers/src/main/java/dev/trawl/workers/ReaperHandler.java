package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.reap.ReapJobs;

import java.time.Clock;
import java.util.Map;

/** The schedule (every minute) → {@link ReapJobs}. */
public final class ReaperHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {
    private final ReapJobs reapJobs;

    public ReaperHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private ReaperHandler(AwsPorts ports) {
        this(new ReapJobs(ports.jobs(), Clock.systemUTC()));
    }

    public ReaperHandler(ReapJobs reapJobs) {
        this.reapJobs = reapJobs;
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        return Map.of("stopped", reapJobs.reap());
    }
}
