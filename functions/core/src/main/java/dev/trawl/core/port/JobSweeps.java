package dev.trawl.core.port;

import dev.trawl.core.message.JobRef;

import java.time.Instant;
import java.util.List;

/** What the reaper looks for across tenants: jobs past their deadline, and jobs that stopped moving. */
public interface JobSweeps {

    /** Jobs, of any tenant, still live after their deadline, oldest deadline first. */
    List<JobRef> overdue(Instant now, int limit);

    /** Live jobs, of any tenant, whose record has not changed since {@code before}: maybe stalled. At most {@code limit}. */
    List<JobRef> idle(Instant before, int limit);

    /** Marks a live job changed at {@code now}: the reaper drove it on, and waits again before it does so again. */
    void touch(String tenant, String jobId, Instant now);
}
