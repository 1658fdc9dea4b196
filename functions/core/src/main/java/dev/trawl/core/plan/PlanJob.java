package dev.trawl.core.plan;

import dev.trawl.core.finalize.FinalizeClaim;
import dev.trawl.core.input.FormatDetector;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.input.InputReader;
import dev.trawl.core.job.ConcurrencyGroups;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.PhaseState;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkTask;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.ObjectChanged;
import dev.trawl.core.port.PlanLeases;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.BoundedRegex;
import dev.trawl.core.util.Log;
import dev.trawl.core.webhook.Announcer;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a job's input as a stream, numbers its lines, cuts them into chunk files, records the counts
 * and queues one message per chunk. Running it again for the same job writes the same chunks and sends
 * the same messages, which the queue's deduplication and the chunk commits absorb.
 *
 * <p>With {@link PlanLeases}, a planner first takes the job's planning lease (another planner holding a live one: this
 * request fails as a transient failure and comes back shortly, since that planner may have died with it), records a checkpoint as it
 * goes (renewing the lease), and before its invocation's deadline records one and queues its plan message again: the
 * next invocation skips what is done. A plan that gets nowhere in {@link #MAX_ATTEMPTS} leases running, once it has
 * been going for {@link #NO_PROGRESS_AFTER}, or is still unfinished {@link #MAX_PLANNING} after it started, ends the
 * job {@code failed} with {@code planning_failed}.
 */
public final class PlanJob {
    /** Time a regex_filter may take on one URL before the URL counts as not matching. */
    private static final long REGEX_BUDGET_MS = 50;
    /** Leases taken without a checkpoint between them before the plan is given up. */
    static final int MAX_ATTEMPTS = 5;
    /**
     * The no-progress rule waits this long from the first lease: attempts that fail for a passing reason come back
     * within seconds (a few minutes for five of them), and a flaky quarter of an hour must not end a plan that would
     * get through; an input that cannot be cut within an invocation takes five whole invocations, longer than this.
     */
    static final Duration NO_PROGRESS_AFTER = Duration.ofMinutes(30);
    /** The longest a plan may take, continuations included, from its first lease. */
    static final Duration MAX_PLANNING = Duration.ofHours(2);
    /** How long a lease holds: a planner that died without giving it up blocks the next one for at most this. */
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Calls made to give a lease up before it is left to run out. */
    private static final int RELEASE_ATTEMPTS = 3;
    /** A checkpoint (and the lease renewed) at least this often. */
    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(30);
    /**
     * Stop cutting this long before the invocation's deadline: enough to finish the writes in flight, record the
     * checkpoint and queue the continuation, or, at the plan's end, to send its chunk messages.
     */
    static final Duration STOP_BEFORE_DEADLINE = Duration.ofSeconds(30);
    private static final Log LOG = Log.of("planner");

    private final JobStore jobs;
    private final PlanLeases leases;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Announcer announcer;
    private final FinalizeClaim finalizeClaim;
    private final Clock clock;
    private final int chunkSize;
    private final ExternalObjects external;
    private final ChunkLedger ledger;
    private int writesInFlight = ChunkPipeline.WRITES_IN_FLIGHT;
    private int sendsInFlight = ChunkPipeline.SENDS_IN_FLIGHT;
    /** The pause before the input is read again after a failure that may pass; doubled at each try. */
    private Duration readBackoff = Duration.ofMillis(500);

    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue, Clock clock, int chunkSize) {
        this(jobs, deliveries, blobs, queue, clock, chunkSize, null);
    }

    /** A planner without a lease: for one that is alone by construction (a benchmark, a test). */
    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue, Clock clock, int chunkSize,
                   ExternalObjects external) {
        this(jobs, deliveries, null, blobs, queue, clock, chunkSize, external);
    }

    /**
     * @param leases   the jobs' planning leases and checkpoints; null to plan without (no continuation either)
     * @param external reads clients' buckets for {@code s3} inputs
     */
    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, PlanLeases leases, BlobStore blobs, WorkQueue queue,
                   Clock clock, int chunkSize, ExternalObjects external) {
        this(jobs, deliveries, leases, null, blobs, queue, clock, chunkSize, external);
    }

    /**
     * @param ledger the jobs' committed chunks, which a {@code retry} input is read from (null: such inputs cannot be
     *               planned here)
     */
    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, PlanLeases leases, ChunkLedger ledger, BlobStore blobs,
                   WorkQueue queue, Clock clock, int chunkSize, ExternalObjects external) {
        this.ledger = ledger;
        this.external = external;
        this.jobs = jobs;
        this.leases = leases;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
        this.announcer = new Announcer(deliveries, queue, clock);
        this.finalizeClaim = new FinalizeClaim(jobs, queue, clock);
        this.chunkSize = chunkSize;
    }

    /** How many chunk files and message batches may be in flight at once; for the benchmark's baseline. */
    PlanJob inFlight(int writes, int sends) {
        this.writesInFlight = writes;
        this.sendsInFlight = sends;
        return this;
    }

    /** A shorter pause before a failed read is tried again, for tests. */
    PlanJob readBackoff(Duration backoff) {
        this.readBackoff = backoff;
        return this;
    }

    /** Plans with no deadline of its own. */
    public void plan(JobRef ref) throws IOException, InterruptedException {
        plan(ref, null);
    }

    /** @param deadline when the invocation ends (a Lambda's remaining time from now), or null for none */
    public void plan(JobRef ref, Instant deadline) throws IOException, InterruptedException {
        Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
        if (job == null) {
            LOG.warn(ref.jobId(), "plan request for a job that does not exist; dropped");
            return;
        }
        if (job.status().terminal()) {
            if (job.planState() == PhaseState.FAILED) {
                announcer.endedEarlier(job); // failed here before; later ends are the finalizer's to announce
            }
            LOG.info(job.id(), "job no longer needs planning", "status", job.status().wire());
            return;
        }
        Hold hold = null;
        if (leases != null) {
            String owner = UUID.randomUUID().toString();
            Instant now = clock.instant();
            PlanLeases.Planning planning;
            try {
                planning = leases.take(job.tenant(), job.id(), owner, now, now.plus(LEASE)).orElse(null);
            } catch (RuntimeException e) {
                // the take may have been written with its answer lost: a lease nobody holds would block the job
                releaseQuietly(job, owner);
                throw e;
            }
            if (planning == null) {
                // That planner may have died with the lease (a lost answer, a crash): this request comes back shortly,
                // as a transient failure does, and takes the lease once it is given up or has run out.
                LOG.info(job.id(), "another planner holds the job's planning lease; this request comes back shortly");
                throw new LeaseHeld(job.id());
            }
            hold = new Hold(job, owner, planning, deadline);
        }
        try (ChunkPipeline pipeline = new ChunkPipeline(blobs, queue, writesInFlight, sendsInFlight)) {
            if (hold != null && job.planState() == PhaseState.PENDING && hold.givenUp(clock.instant())) {
                failed(job, "planning_failed", hold.whyGivenUp(clock.instant()));
                return;
            }
            plan(job, pipeline, hold);
        } finally {
            if (hold != null) {
                hold.release();
            }
        }
    }

    /** Another planner holds the job's planning lease: an I/O failure, so that the request is asked again soon. */
    static final class LeaseHeld extends IOException {
        LeaseHeld(String jobId) {
            super("another planner holds the planning lease of " + jobId);
        }
    }

    /**
     * Gives the lease up, asking again when a call fails: a lease left behind holds every other planner of the job off
     * until it runs out ({@link #LEASE}).
     */
    private void releaseQuietly(Job job, String owner) {
        for (int attempt = 1; ; attempt++) {
            try {
                leases.release(job.tenant(), job.id(), owner);
                return;
            } catch (RuntimeException e) {
                if (attempt == RELEASE_ATTEMPTS) {
                    LOG.warn(job.id(), "the planning lease could not be given up; it runs out by itself", "error",
                            e.getClass().getSimpleName());
                    return;
                }
            }
        }
    }

    private void plan(Job job, ChunkPipeline pipeline, Hold hold) throws IOException, InterruptedException {
        // Planned before: the chunk files the committed segments were cut from stay as they are (the input may have
        // changed since, or a time-bounded filter decide otherwise); only their messages are sent again.
        Plan plan = job.planState() == PhaseState.DONE && job.chunksTotal() != null
                ? storedChunks(job, pipeline) : cutChunks(job, pipeline, hold);
        if (plan == null) {
            return;
        }
        if (jobs.markPlanned(job.tenant(), job.id(), plan.urlsTotal(), plan.urlsFiltered(), plan.chunks().size(),
                clock.instant())) {
            LOG.info(job.id(), "planned", "urls_total", plan.urlsTotal(), "urls_filtered", plan.urlsFiltered(),
                    "chunks_total", plan.chunks().size());
        } else {
            Job now = jobs.find(job.tenant(), job.id()).orElse(null);
            if (now == null || now.status().terminal() || now.planState() != PhaseState.DONE) {
                // ended meanwhile (the reaper, past max_lifetime_s): nothing goes out
                LOG.info(job.id(), "the job ended while it was planned; its chunks are not sent");
                if (now != null && now.planState() == PhaseState.FAILED) {
                    blobs.deletePrefix(BucketLayout.chunksPrefix(job.id()));
                }
                return;
            }
            LOG.info(job.id(), "planned again; counts were recorded before", "chunks_total", plan.chunks().size());
        }
        List<ChunkTask> chunks = plan.chunks();
        for (ChunkTask chunk : chunks) {
            pipeline.send(chunk);
        }
        pipeline.awaitSends();
        // with no chunk, or with all of them done before the counts were recorded, no worker claims finalize
        finalizeClaim.claimAndRequest(new JobRef(job.tenant(), job.id()));
    }

    private record Plan(List<ChunkTask> chunks, long urlsTotal, long urlsFiltered) {
    }

    /**
     * The lease this planner holds, the invocation's deadline and the checkpoint it goes on from; a checkpoint
     * renews the lease.
     */
    private final class Hold {
        private final Job job;
        private final String owner;
        private final PlanLeases.Planning planning;
        private final Instant deadline;
        private Instant lastCheckpoint;
        private boolean released;

        Hold(Job job, String owner, PlanLeases.Planning planning, Instant deadline) {
            this.job = job;
            this.owner = owner;
            this.planning = planning;
            this.deadline = deadline;
            this.lastCheckpoint = clock.instant();
        }

        PlanLeases.PlanCheckpoint from() {
            return planning.checkpoint();
        }

        boolean givenUp(Instant now) {
            return (planning.attempts() > MAX_ATTEMPTS && planning.since().plus(NO_PROGRESS_AFTER).isBefore(now))
                    || planning.since().plus(MAX_PLANNING).isBefore(now);
        }

        String whyGivenUp(Instant now) {
            return planning.attempts() > MAX_ATTEMPTS && planning.since().plus(MAX_PLANNING).isAfter(now)
                    ? "The plan made no progress in " + MAX_ATTEMPTS + " attempts; the input could not be cut into chunks."
                    : "The plan did not finish within " + MAX_PLANNING.toMinutes() + " minutes of its start.";
        }

        boolean stopDue(Instant now) {
            return deadline != null && !now.isBefore(deadline.minus(STOP_BEFORE_DEADLINE));
        }

        boolean checkpointDue(Instant now) {
            return stopDue(now) || !now.isBefore(lastCheckpoint.plus(CHECKPOINT_EVERY));
        }

        /** Records the checkpoint and renews the lease; false when the lease was lost to another planner. */
        boolean checkpoint(PlanLeases.PlanCheckpoint checkpoint) {
            Instant now = clock.instant();
            lastCheckpoint = now;
            return leases.checkpoint(job.tenant(), job.id(), owner, checkpoint, now.plus(LEASE));
        }

        /** Records the checkpoint, gives the lease up and queues the plan message again: the next invocation goes on. */
        void continueLater(PlanLeases.PlanCheckpoint checkpoint) {
            boolean progressed = from() == null || checkpoint.chunks() > from().chunks();
            if (progressed && !leases.checkpoint(job.tenant(), job.id(), owner, checkpoint, clock.instant())) {
                LOG.warn(job.id(), "the planning lease was lost; the planner that took it goes on");
                return;
            }
            release();
            queue.requestPlan(new JobRef(job.tenant(), job.id()));
            LOG.info(job.id(), "planning goes on in a new invocation", "chunks_done", checkpoint.chunks(),
                    "entries_read", checkpoint.entries());
        }

        void release() {
            if (!released) {
                released = true;
                releaseQuietly(job, owner);
            }
        }
    }

    /**
     * Numbers the input's lines (blank ones aside), drops those the job's filters leave out, and cuts the rest, from
     * the checkpoint on when there is one; null when the job failed instead (too many URLs, or an input that cannot be
     * read), when the plan goes on in another invocation, or when another planner took it over.
     */
    private Plan cutChunks(Job job, ChunkPipeline pipeline, Hold hold) throws IOException, InterruptedException {
        JobSettings settings = job.settings();
        int groups = ConcurrencyGroups.groups(settings.concurrency());
        BoundedRegex filter = settings.regexFilter() == null ? null : new BoundedRegex(settings.regexFilter(), REGEX_BUDGET_MS);
        PlanLeases.PlanCheckpoint from = hold == null ? null : hold.from();
        int size = from == null ? chunkSize : from.chunkSize();
        List<ChunkTask> chunks = new ArrayList<>();
        long skip = 0;
        long kept = 0;
        long filtered = 0;
        if (from != null) {
            for (int index = 0; index < from.chunks(); index++) {
                chunks.add(chunkTask(job, index, size, groups)); // every chunk before a checkpoint is full
            }
            skip = from.entries();
            kept = from.kept();
            filtered = from.filtered();
            LOG.info(job.id(), "planning goes on from its checkpoint", "chunks_done", from.chunks(), "entries_read", skip);
        }
        StringBuilder chunkText = new StringBuilder();
        int inChunk = 0;
        long entries = 0;
        if (job.urlsTotal() != null && job.urlsTotal() > Job.MAX_URLS && filter == null && settings.maxUrls() == 0) {
            return failed(job, "too_many_urls", "The input holds " + job.urlsTotal() + " URLs; a job takes at most " + Job.MAX_URLS + ".");
        }
        InputFormat format;
        String etag;
        try {
            etag = pinnedVersion(job, from);
            format = InputEntries.retried(job.id(), readBackoff, () -> formatOf(job, etag));
        } catch (ObjectChanged e) {
            return failed(job, "input_changed", inputChanged(job));
        } catch (FileNotFoundException e) {
            return failed(job, "input_missing", inputMissing(job));
        } catch (IOException e) {
            return failed(job, "input_invalid", "The input file could not be read: " + describe(e));
        }
        try (InputEntries reader = InputEntries.open(job.id(), () -> openInput(job, etag), format, readBackoff)) {
            if (!reader.hasUrlColumn()) {
                return failed(job, "input_invalid", "The CSV input has no 'url' column in its header row.");
            }
            InputEntry entry;
            while ((entry = reader.next()) != null) {
                if (++entries <= skip) {
                    continue; // cut before the checkpoint
                }
                String url = entry.url();
                boolean wanted = filter == null || (url != null && filter.find(url));
                if (!wanted || (settings.maxUrls() > 0 && kept >= settings.maxUrls())) {
                    filtered++;
                    continue;
                }
                if (++kept > Job.MAX_URLS) {
                    pipeline.awaitWrites();
                    return failed(job, "too_many_urls", "The input holds more than " + Job.MAX_URLS + " URLs.");
                }
                chunkText.append(entry.toLine()).append('\n');
                inChunk++;
                if (inChunk == size) {
                    chunks.add(writeChunk(pipeline, job, chunks.size(), inChunk, chunkText, groups));
                    chunkText.setLength(0);
                    inChunk = 0;
                    if (hold != null && hold.checkpointDue(clock.instant())) {
                        pipeline.awaitWrites();
                        var checkpoint = new PlanLeases.PlanCheckpoint(size, chunks.size(), entries, kept, filtered, etag);
                        if (hold.stopDue(clock.instant())) {
                            hold.continueLater(checkpoint);
                            return null;
                        }
                        if (!hold.checkpoint(checkpoint)) {
                            LOG.warn(job.id(), "the planning lease was lost; the planner that took it goes on");
                            return null;
                        }
                    }
                }
            }
        } catch (ObjectChanged e) {
            pipeline.awaitWrites();
            return failed(job, "input_changed", inputChanged(job));
        } catch (FileNotFoundException e) {
            pipeline.awaitWrites();
            return failed(job, "input_missing", inputMissing(job));
        } catch (IOException e) {
            if (job.input().type().equals("inline") || job.input().type().equals("retry")) {
                throw e; // the service's own files: not the client's input to blame
            }
            pipeline.awaitWrites();
            return failed(job, "input_invalid", "The input file could not be read to its end: " + describe(e));
        }
        if (inChunk > 0) {
            chunks.add(writeChunk(pipeline, job, chunks.size(), inChunk, chunkText, groups));
        }
        pipeline.awaitWrites();
        return new Plan(chunks, kept, filtered);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String inputMissing(Job job) {
        return job.input().type().equals("retry")
                ? "The original job " + job.retryOf() + " or its work files no longer exist (work files are kept 14 days);"
                + " submit its URLs as a new job."
                : "The job's input file no longer exists.";
    }

    private static String inputChanged(Job job) {
        return "The input file was written again after the job was created (its ETag is not "
                + job.input().etag() + " any more); the job reads only the version it was created with. Create a new "
                + "job for the new file.";
    }

    /**
     * The version of the input the plan reads: the job's own, recorded at its creation; for a client's object whose
     * ETag the API could not read, the one the plan's first read found (kept in the checkpoint); null for inline
     * entries and older jobs, which are read as they are.
     */
    private String pinnedVersion(Job job, PlanLeases.PlanCheckpoint from) throws IOException, InterruptedException {
        JobInput input = job.input();
        if (input.etag() != null || input.bucket() == null) {
            return input.etag();
        }
        if (from != null && from.inputEtag() != null) {
            return from.inputEtag();
        }
        if (external == null) {
            return null;
        }
        return InputEntries.retried(job.id(), readBackoff,
                () -> external.check(input.bucket(), input.key(), input.roleArn(), job.tenant()));
    }

    /** The input's format: as recorded, or, for a file dropped into the inbox, from its name and first line. */
    private InputFormat formatOf(Job job, String etag) throws IOException {
        if (job.input().format() != null) {
            return job.input().format();
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                InputReader.decompressed(openInput(job, etag)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && line.isBlank()) {
                // the first line that says something
            }
            return FormatDetector.detect(job.input().filename(), line);
        }
    }

    private InputStream openInput(Job job, String etag) throws IOException {
        JobInput input = job.input();
        if (input.type().equals("retry")) {
            return retryInput(job);
        }
        if (input.bucket() == null) {
            return blobs.open(input.key(), etag);
        }
        if (external == null) {
            throw new IOException("this planner cannot read clients' buckets");
        }
        return external.open(input.bucket(), input.key(), input.roleArn(), job.tenant(), etag);
    }

    /** A retry's entries, streamed from its original's committed parts: the original must still exist. */
    private InputStream retryInput(Job job) throws IOException {
        if (ledger == null) {
            throw new IllegalStateException("this planner cannot read a retry's original job");
        }
        if (job.retryOf() == null || jobs.find(job.tenant(), job.retryOf()).isEmpty()) {
            throw new FileNotFoundException("the original job " + job.retryOf() + " was removed");
        }
        return RetryInput.of(job.retryOf(), ledger, blobs);
    }

    private Plan failed(Job job, String code, String message) {
        if (jobs.failPlanning(job.tenant(), job.id(), new Failure(code, message), clock.instant())) {
            LOG.warn(job.id(), "the job fails before any fetch", "code", code);
            announcer.ended(job);
            blobs.deletePrefix(BucketLayout.chunksPrefix(job.id()));
        }
        // Planned before (a redelivery): its chunks are queued and their files are theirs.
        return null;
    }

    /** The plan as it was made: the chunk files already written, their lines counted again (many read at once). */
    private Plan storedChunks(Job job, ChunkPipeline pipeline) throws InterruptedException {
        int groups = ConcurrencyGroups.groups(job.settings().concurrency());
        int[] lines = pipeline.countLines(job.chunksTotal(), index -> BucketLayout.chunk(job.id(), index));
        List<ChunkTask> chunks = new ArrayList<>();
        for (int index = 0; index < lines.length; index++) {
            chunks.add(chunkTask(job, index, lines[index], groups));
        }
        return new Plan(chunks, job.urlsTotal() == null ? 0 : job.urlsTotal(), job.urlsFiltered());
    }

    private ChunkTask writeChunk(ChunkPipeline pipeline, Job job, int index, int lines, StringBuilder text, int groups)
            throws InterruptedException {
        pipeline.write(BucketLayout.chunk(job.id(), index), text.toString().getBytes(StandardCharsets.UTF_8));
        return chunkTask(job, index, lines, groups);
    }

    private static ChunkTask chunkTask(Job job, int index, int lines, int groups) {
        int group = index % groups;
        return new ChunkTask(job.tenant(), job.id(), index, lines, group,
                ConcurrencyGroups.concurrencyShare(job.settings().concurrency(), group));
    }
}
