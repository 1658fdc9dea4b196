package dev.trawl.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Who plans a job now, and how far its plan got: kept on the job's own record. A planner takes the lease before it
 * writes anything, so that two planners of one job (a duplicate message, a replayed request, a continuation) never
 * both write; it records a checkpoint as it goes, and another invocation goes on from there.
 */
public interface PlanLeases {

    /**
     * Takes the job's lease for {@code owner} until {@code until} when no other owner holds one still live at
     * {@code now}, and counts an attempt. Empty when another planner holds it, or there is no such job.
     */
    Optional<Planning> take(String tenant, String jobId, String owner, Instant now, Instant until);

    /**
     * Records how far the plan got, sets the attempts without progress back to zero, and holds the lease until
     * {@code until} ({@code now} gives it up); false, and nothing recorded, when {@code owner} no longer holds it.
     */
    boolean checkpoint(String tenant, String jobId, String owner, PlanCheckpoint checkpoint, Instant until);

    /** Gives the lease up, so that the next planner takes it at once; nothing when {@code owner} does not hold it. */
    void release(String tenant, String jobId, String owner);

    /**
     * The plan as the lease's taker finds it.
     *
     * @param since      when the job's first planner took a lease
     * @param attempts   leases taken since the last checkpoint, this one included
     * @param checkpoint how far the plan got, or null before its first checkpoint
     */
    record Planning(Instant since, int attempts, PlanCheckpoint checkpoint) {
    }

    /**
     * A plan cut up to a chunk's end. The input is pinned, and cutting is the same every time on the same input, so
     * the next planner reads past {@code entries} entries and goes on with chunk {@code chunks}.
     *
     * @param chunkSize the lines of each chunk written so far (the size the plan started with is kept to its end)
     * @param chunks    chunk files written, from 0
     * @param entries   the input's entries read (blank lines aside), kept or filtered
     * @param kept      URLs put into chunks
     * @param filtered  URLs left out by the job's filters
     * @param inputEtag the version of the input the plan reads: the job's own, or for an input whose ETag the API
     *                  could not read, the one the first plan read found; null when the input is not pinned
     */
    record PlanCheckpoint(int chunkSize, int chunks, long entries, long kept, long filtered, String inputEtag) {
    }
}
