package dev.trawl.core.port;

import dev.trawl.core.message.JobRef;

import java.time.Instant;
import java.util.List;

/** What the reaper looks for across tenants: jobs past their deadline, and jobs that stopped moving. */
public interface JobSweeps {

    /** Marks a live job changed at {@code now}: the reaper drove it on, and waits again before it does so again. */
    void touch(String tenant, String jobId, Instant now);

    /**
     * One page of a sweep through the deadline index: the jobs found, how many index entries were read to find them
     * (at most the page's limit), and the cursor the next page starts from, or null once the sweep went through the
     * whole index (the next sweep starts over). A cursor is opaque: only the store that gave it reads it.
     */
    record Page(List<JobRef> jobs, int read, String next) {
        public Page {
            jobs = List.copyOf(jobs);
        }
    }

    /**
     * Live jobs past their deadline at {@code now}, from {@code cursor} (null: from the start) on, reading at most
     * {@code limit} entries of the index. Within a part of the index, oldest deadline first.
     */
    Page overduePage(Instant now, String cursor, int limit);

    /**
     * Live jobs unchanged since {@code before}, from {@code cursor} (null: from the start) on, reading at most
     * {@code limit} entries of the index whatever their age: a page may hold none and still have a next one.
     */
    Page idlePage(Instant before, String cursor, int limit);

    /** Where the reaper's sweep named {@code pass} stopped last time; null when it has none (start from the beginning). */
    String cursor(String pass);

    /** Keeps where the sweep named {@code pass} stopped; null forgets it, so that the next run starts from the beginning. */
    void saveCursor(String pass, String cursor);
}
