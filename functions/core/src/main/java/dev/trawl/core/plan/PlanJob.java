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
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.JobStore;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's input as a stream, numbers its lines, cuts them into chunk files, records the counts
 * and queues one message per chunk. Running it again for the same job writes the same chunks and sends
 * the same messages, which the queue's deduplication and the chunk commits absorb.
 */
public final class PlanJob {
    /** Time a regex_filter may take on one URL before the URL counts as not matching. */
    private static final long REGEX_BUDGET_MS = 50;
    private static final Log LOG = Log.of("planner");

    private final JobStore jobs;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Announcer announcer;
    private final FinalizeClaim finalizeClaim;
    private final Clock clock;
    private final int chunkSize;
    private final ExternalObjects external;
    private int writesInFlight = ChunkPipeline.WRITES_IN_FLIGHT;
    private int sendsInFlight = ChunkPipeline.SENDS_IN_FLIGHT;

    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue, Clock clock, int chunkSize) {
        this(jobs, deliveries, blobs, queue, clock, chunkSize, null);
    }

    /** @param external reads clients' buckets for {@code s3} inputs */
    public PlanJob(JobStore jobs, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue, Clock clock, int chunkSize,
                   ExternalObjects external) {
        this.external = external;
        this.jobs = jobs;
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

    public void plan(JobRef ref) throws IOException, InterruptedException {
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
        // Planned before: the chunk files the committed segments were cut from stay as they are (the input may have
        // changed since, or a time-bounded filter decide otherwise); only their messages are sent again.
        try (ChunkPipeline pipeline = new ChunkPipeline(blobs, queue, writesInFlight, sendsInFlight)) {
            plan(job, pipeline);
        }
    }

    private void plan(Job job, ChunkPipeline pipeline) throws IOException, InterruptedException {
        Plan plan = job.planState() == PhaseState.DONE && job.chunksTotal() != null ? storedChunks(job) : cutChunks(job, pipeline);
        if (plan == null) {
            return;
        }
        if (jobs.markPlanned(job.tenant(), job.id(), plan.urlsTotal(), plan.urlsFiltered(), plan.chunks().size(),
                clock.instant())) {
            LOG.info(job.id(), "planned", "urls_total", plan.urlsTotal(), "urls_filtered", plan.urlsFiltered(),
                    "chunks_total", plan.chunks().size());
        } else {
            LOG.info(job.id(), "planned again; counts were recorded before", "chunks_total", plan.chunks().size());
        }
        List<ChunkTask> chunks = plan.chunks();
        for (ChunkTask chunk : chunks) {
            pipeline.send(chunk);
        }
        pipeline.awaitSends();
        if (chunks.isEmpty()) {
            finalizeClaim.claimAndRequest(new JobRef(job.tenant(), job.id()));
        }
    }

    private record Plan(List<ChunkTask> chunks, long urlsTotal, long urlsFiltered) {
    }

    /**
     * Numbers the input's lines (blank ones aside), drops those the job's filters leave out, and cuts the rest; null
     * when the job failed instead (too many URLs, or an input that cannot be read).
     */
    private Plan cutChunks(Job job, ChunkPipeline pipeline) throws IOException, InterruptedException {
        JobSettings settings = job.settings();
        int groups = ConcurrencyGroups.groups(settings.concurrency());
        BoundedRegex filter = settings.regexFilter() == null ? null : new BoundedRegex(settings.regexFilter(), REGEX_BUDGET_MS);
        List<ChunkTask> chunks = new ArrayList<>();
        StringBuilder chunkText = new StringBuilder();
        int inChunk = 0;
        long kept = 0;
        long filtered = 0;
        if (job.urlsTotal() != null && job.urlsTotal() > Job.MAX_URLS && filter == null && settings.maxUrls() == 0) {
            return failed(job, "too_many_urls", "The input holds " + job.urlsTotal() + " URLs; a job takes at most " + Job.MAX_URLS + ".");
        }
        try (InputReader reader = InputReader.open(openInput(job), formatOf(job))) {
            if (!reader.hasUrlColumn()) {
                return failed(job, "input_invalid", "The CSV input has no 'url' column in its header row.");
            }
            InputEntry entry;
            while ((entry = reader.next()) != null) {
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
                if (inChunk == chunkSize) {
                    chunks.add(writeChunk(pipeline, job, chunks.size(), inChunk, chunkText, groups));
                    chunkText.setLength(0);
                    inChunk = 0;
                }
            }
        } catch (FileNotFoundException e) {
            pipeline.awaitWrites();
            return failed(job, "input_missing", "The job's input file no longer exists.");
        } catch (IOException e) {
            if (job.input().type().equals("inline")) {
                throw e;
            }
            pipeline.awaitWrites();
            return failed(job, "input_invalid", "The input file could not be read to its end: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (inChunk > 0) {
            chunks.add(writeChunk(pipeline, job, chunks.size(), inChunk, chunkText, groups));
        }
        pipeline.awaitWrites();
        return new Plan(chunks, kept, filtered);
    }

    /** The input's format: as recorded, or, for a file dropped into the inbox, from its name and first line. */
    private InputFormat formatOf(Job job) throws IOException {
        if (job.input().format() != null) {
            return job.input().format();
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                InputReader.decompressed(openInput(job)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && line.isBlank()) {
                // the first line that says something
            }
            return FormatDetector.detect(job.input().filename(), line);
        }
    }

    private InputStream openInput(Job job) throws IOException {
        JobInput input = job.input();
        if (input.bucket() == null) {
            return blobs.open(input.key());
        }
        if (external == null) {
            throw new IOException("this planner cannot read clients' buckets");
        }
        return external.open(input.bucket(), input.key(), input.roleArn(), job.tenant());
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

    /** The plan as it was made: the chunk files already written, their lines counted again. */
    private Plan storedChunks(Job job) throws IOException {
        int groups = ConcurrencyGroups.groups(job.settings().concurrency());
        List<ChunkTask> chunks = new ArrayList<>();
        for (int index = 0; index < job.chunksTotal(); index++) {
            int lines = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    blobs.open(BucketLayout.chunk(job.id(), index)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines += line.isEmpty() ? 0 : 1;
                }
            }
            chunks.add(chunkTask(job, index, lines, groups));
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
