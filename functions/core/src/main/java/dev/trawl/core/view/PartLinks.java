package dev.trawl.core.view;

import dev.trawl.core.job.Job;

import java.net.URI;

/** Where a client downloads the parts of a job's result, without its API key. */
@FunctionalInterface
public interface PartLinks {
    /** The link to part {@code index} (from 0) of the job's result. */
    URI of(Job job, int index);
}
