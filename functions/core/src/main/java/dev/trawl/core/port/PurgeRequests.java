package dev.trawl.core.port;

import dev.trawl.core.message.JobRef;

/** Asks for the removal of a removed job's files and remnants, outside the request that removed it. */
public interface PurgeRequests {

    void requestPurge(JobRef job);
}
