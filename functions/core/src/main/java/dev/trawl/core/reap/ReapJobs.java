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

/**
 * The scheduled sweep. It stops every live job that has outlived its {@code max_lifetime_s} (its workers then skip
 * what is left with {@code lifetime_exceeded}, and the finalizer ends it {@code cancelled} with what was done), and
 * drives on every live job that has not changed for {@code stallAfter}: a message lost between two steps leaves a
 * job waiting for ever, so the step is asked for again. Every step is idempotent, so asking twice costs work, never
 * rows: a plan run again sends the chunks again, and a chunk already committed is skipped.
 *
 * <p>Each pass (overdue, then idle) pages through the deadline index from where it stopped the run before (its
 * cursor, kept in the store), within a budget of its own: index entries read, jobs visited, and time. One pass never
 * eats another's share, so stalled jobs are driven on however many jobs are overdue, and a run costs the same with ten
 * stuck jobs or ten thousand: what a run leaves, the next one continues; a pass that reaches the end of the index
 * starts over at the next run.
 */
public final class ReapJobs {
    private static final Log LOG = Log.of("reaper");
    /** Index entries read per page. */
    static final int PAGE = 100;
    static final String OVERDUE = "overdue";
    static final String IDLE = "idle";
    /** Stalled jobs driven on per run at most (each may plan a whole job again); the rest wait for the next run. */
    static final int MAX_RESUMED = 100;
    /** Time kept back from the invocation for saving the cursors and answering. */
    private static final Duration RESERVE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(30);
    /** Per pass and run: 2,000 entries read, 500 jobs visited (stopped, or looked at and driven on), 20 s. */
    public static final Budget DEFAULT_BUDGET = new Budget(2_000, 500, Duration.ofSeconds(20));
    private final JobStore jobs;
    private final JobSweeps sweeps;
    private final WorkQueue queue;
    private final FinalizeClaim finalizeClaim;
    private final Clock clock;
    private final Duration stallAfter;
    private final Budget budget;

    public ReapJobs(JobStore jobs, JobSweeps sweeps, WorkQueue queue, Clock clock, Duration stallAfter) {
        this(jobs, sweeps, queue, clock, stallAfter, DEFAULT_BUDGET);
    }

    public ReapJobs(JobStore jobs, JobSweeps sweeps, WorkQueue queue, Clock clock, Duration stallAfter, Budget budget) {
        this.jobs = jobs;
        this.sweeps = sweeps;
        this.queue = queue;
        this.finalizeClaim = new FinalizeClaim(jobs, queue, clock);
        this.clock = clock;
        this.stallAfter = stallAfter;
        this.budget = budget;
    }

    /** What one pass may spend in one run: index entries read, jobs visited, and time (the invocation's may be less). */
    public record Budget(int reads, int visits, Duration time) {
        public Budget {
            if (reads < 1 || visits < 1 || time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException("a pass needs some of each budget");
            }
        }
    }

    public record Sweep(int stopped, int resumed) {
    }

    public Sweep reap() {
        return reap(null);
    }

    /**
     * One run. {@code remaining} is the invocation's time left (null: unknown): each pass gets half of it, less a
     * reserve, and at most its budget's time.
     */
    public Sweep reap(Duration remaining) {
        Duration share = budget.time();
        if (remaining != null) {
            Duration half = remaining.minus(RESERVE).dividedBy(2);
            share = half.compareTo(share) < 0 ? half : share;
        }
        Instant now = clock.instant();
        int stopped = pass(OVERDUE, (cursor, limit) -> sweeps.overduePage(now, cursor, limit),
                ref -> stopIfOverdue(ref, now), now.plus(share), budget.visits());
        Instant then = clock.instant();
        int resumed = pass(IDLE, (cursor, limit) -> sweeps.idlePage(then.minus(stallAfter), cursor, limit),
                ref -> resumeIfStalled(ref, then), then.plus(share), Math.min(budget.visits(), MAX_RESUMED));
        return new Sweep(stopped, resumed);
    }

    private interface PageReader {
        JobSweeps.Page read(String cursor, int limit);
    }

    private interface Visitor {
        /** True when it changed the job. */
        boolean visit(JobRef job);
    }

    /**
     * Pages on from the pass's cursor within its budget, its deadline and {@code maxChanged} jobs changed; saves where
     * it stopped; returns the jobs changed.
     */
    private int pass(String name, PageReader reader, Visitor visitor, Instant deadline, int maxChanged) {
        String cursor = sweeps.cursor(name);
        int read = 0;
        int visited = 0;
        int changed = 0;
        // pages that read nothing (an empty part of the index) are bounded too
        int pagesLeft = budget.reads() / PAGE + 32;
        while (read < budget.reads() && visited < budget.visits() && changed < maxChanged && pagesLeft-- > 0
                && clock.instant().isBefore(deadline)) {
            // a page holds at most its limit of jobs: visits and changes never pass their budget mid-page
            int limit = Math.min(Math.min(PAGE, budget.reads() - read),
                    Math.min(budget.visits() - visited, maxChanged - changed));
            JobSweeps.Page page = reader.read(cursor, limit);
            read += page.read();
            for (JobRef job : page.jobs()) {
                visited++;
                if (visitor.visit(job)) {
                    changed++;
                }
            }
            cursor = page.next();
            if (cursor == null) {
                break; // through the whole index: the next run starts over
            }
        }
        sweeps.saveCursor(name, cursor);
        if (cursor != null) {
            LOG.info(null, "reaper pass stopped at its budget; the next run goes on from there", "pass", name,
                    "read", read, "visited", visited, "changed", changed);
        }
        return changed;
    }

    private boolean stopIfOverdue(JobRef job, Instant now) {
        // a job already stopping stays in the index until it ends: expire refuses it and changes nothing
        if (jobs.expire(job.tenant(), job.jobId(), now)) {
            LOG.info(job.jobId(), "max_lifetime_s passed; the job is stopped", "tenant", job.tenant());
            endIfNeverPlanned(job, now);
            return true;
        }
        return false;
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

    private boolean resumeIfStalled(JobRef ref, Instant now) {
        Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
        if (job == null || job.status().terminal() || job.updatedAt().isAfter(now.minus(stallAfter))) {
            return false;
        }
        String step = resume(job, now);
        if (step == null) {
            return false;
        }
        sweeps.touch(job.tenant(), job.id(), now);
        LOG.warn(job.id(), "the job had not moved for a while; " + step, "tenant", job.tenant(),
                "idle_s", Duration.between(job.updatedAt(), now).toSeconds());
        return true;
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
