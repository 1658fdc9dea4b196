package dev.trawl.core.reap;

import dev.trawl.core.finalize.FinalizeClaim;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.JobSweeps;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scheduled sweep. It stops every live job that has outlived its {@code max_lifetime_s} (its workers then skip
 * what is left with {@code lifetime_exceeded}, and the finalizer ends it {@code cancelled} with what was done), and
 * drives on every live job that has not changed for {@code stallAfter}: a message lost between two steps leaves a
 * job waiting for ever, so the step is asked for again. Every step is idempotent, so asking twice costs work, never
 * rows: a plan run again sends the chunks again, and a chunk already committed is skipped.
 */
public final class ReapJobs {
    private static final Log LOG = Log.of("reaper");
    private static final int PAGE = 100;
    /** Stalled jobs driven on per sweep; the rest wait for the next one. */
    private static final int MAX_RESUMED = 100;
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(30);
    private final JobStore jobs;
    private final JobSweeps sweeps;
    private final WorkQueue queue;
    private final FinalizeClaim finalizeClaim;
    private final Clock clock;
    private final Duration stallAfter;

    public ReapJobs(JobStore jobs, JobSweeps sweeps, WorkQueue queue, Clock clock, Duration stallAfter) {
        this.jobs = jobs;
        this.sweeps = sweeps;
        this.queue = queue;
        this.finalizeClaim = new FinalizeClaim(jobs, queue, clock);
        this.clock = clock;
        this.stallAfter = stallAfter;
    }

    public record Sweep(int stopped, int resumed) {
    }

    public Sweep reap() {
        return new Sweep(stopOverdue(), resumeStalled());
    }

    /** Returns how many jobs it stopped. */
    private int stopOverdue() {
        Instant now = clock.instant();
        int stopped = 0;
        Set<String> seen = new HashSet<>();
        List<JobRef> overdue;
        // Jobs stopped here, and jobs already stopping, stay overdue until they end and come first again: each read
        // asks for a page more than the last, so that the ones behind them are reached; each job is tried once.
        for (int limit = PAGE; ; limit += PAGE) {
            overdue = sweeps.overdue(now, limit);
            for (JobRef job : overdue) {
                if (seen.add(job.jobId()) && jobs.expire(job.tenant(), job.jobId(), now)) {
                    stopped++;
                    LOG.info(job.jobId(), "max_lifetime_s passed; the job is stopped", "tenant", job.tenant());
                    endIfNeverPlanned(job, now);
                }
            }
            if (overdue.size() < limit) {
                return stopped;
            }
        }
    }

    /**
     * A job stopped before it was ever planned has nothing for workers to skip: it would wait for a plan that may never
     * come. It ends {@code failed} ({@code planning_failed}) at once, and its plan message is sent so that the planner,
     * finding it failed, announces it as it announces its own failures.
     */
    private void endIfNeverPlanned(JobRef job, Instant now) {
        Failure failure = new Failure("planning_failed", "The job was not planned within its max_lifetime_s.");
        if (jobs.failPlanning(job.tenant(), job.jobId(), failure, now)) {
            LOG.warn(job.jobId(), "the job was never planned; it ends failed", "tenant", job.tenant());
            queue.requestPlan(job);
        }
    }

    /** Returns how many stalled jobs it drove on. */
    private int resumeStalled() {
        Instant now = clock.instant();
        int resumed = 0;
        for (JobRef ref : sweeps.idle(now.minus(stallAfter), MAX_RESUMED)) {
            Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
            if (job == null || job.status().terminal() || job.updatedAt().isAfter(now.minus(stallAfter))) {
                continue;
            }
            String step = resume(job, now);
            if (step != null) {
                sweeps.touch(job.tenant(), job.id(), now);
                resumed++;
                LOG.warn(job.id(), "the job had not moved for a while; " + step, "tenant", job.tenant(),
                        "idle_s", Duration.between(job.updatedAt(), now).toSeconds());
            }
        }
        return resumed;
    }

    /** Asks again for the step the job waits for; returns what it did, or null. */
    private String resume(Job job, Instant now) {
        boolean allChunksDone = job.chunksTotal() != null && job.chunksDone() == job.chunksTotal();
        if (job.planState() != PhaseState.DONE || !allChunksDone) {
            // never planned, or chunks lost on the way: planning again sends every chunk, committed ones are skipped
            queue.requestPlan(new JobRef(job.tenant(), job.id()));
            return "planning asked for again";
        }
        if (job.finalizeState() == PhaseState.PENDING && finalizeClaim.claimAndRequest(new JobRef(job.tenant(), job.id()))) {
            return "finalize claimed and asked for";
        }
        if (job.finalizeState() == PhaseState.RUNNING
                && (job.status() == JobStatus.RUNNING || job.status() == JobStatus.CANCELLING)) {
            queue.requestFinalize(new JobRef(job.tenant(), job.id()));
            return "finalize asked for again";
        }
        return null;
    }
}
