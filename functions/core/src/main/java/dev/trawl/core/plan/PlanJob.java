package dev.trawl.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ChunkTask;
import dev.trawl.core.work.JobRef;
import dev.trawl.core.work.WorkKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
    /** Fetches of one message group at most; a job's concurrency is spread over ceil(concurrency / 32) groups. */
    public static final int GROUP_CONCURRENCY = 32;
    private static final int SEND_BATCH = 10;
    private static final Log LOG = Log.of("planner");

    private final JobStore jobs;
    private final BlobStore blobs;
    private final WorkQueue queue;
    private final Clock clock;
    private final int chunkSize;

    public PlanJob(JobStore jobs, BlobStore blobs, WorkQueue queue, Clock clock, int chunkSize) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    public void plan(JobRef ref) throws IOException {
        Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
        if (job == null) {
            LOG.warn(ref.jobId(), "plan request for a job that does not exist; dropped");
            return;
        }
        if (job.status() != JobStatus.QUEUED && job.status() != JobStatus.RUNNING) {
            LOG.info(job.id(), "job no longer needs planning", "status", job.status().wire());
            return;
        }
        List<ChunkTask> chunks = cutChunks(job);
        long total = chunks.stream().mapToLong(ChunkTask::lines).sum();
        if (jobs.markPlanned(job.tenant(), job.id(), total, chunks.size(), clock.instant())) {
            LOG.info(job.id(), "planned", "urls_total", total, "chunks_total", chunks.size());
        } else {
            LOG.info(job.id(), "planned again; counts were recorded before", "chunks_total", chunks.size());
        }
        for (int i = 0; i < chunks.size(); i += SEND_BATCH) {
            queue.enqueueChunks(chunks.subList(i, Math.min(chunks.size(), i + SEND_BATCH)));
        }
        if (chunks.isEmpty() && jobs.claimFinalize(job.tenant(), job.id(), clock.instant())) {
            queue.requestFinalize(new JobRef(job.tenant(), job.id()));
        }
    }

    private List<ChunkTask> cutChunks(Job job) throws IOException {
        int groups = Math.max(1, (job.concurrency() + GROUP_CONCURRENCY - 1) / GROUP_CONCURRENCY);
        List<ChunkTask> chunks = new ArrayList<>();
        StringBuilder chunkText = new StringBuilder();
        int inChunk = 0;
        long line = 0;
        long firstLine = 1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(blobs.open(job.inputKey()), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (text.isBlank()) {
                    continue;
                }
                line++;
                if (inChunk == 0) {
                    firstLine = line;
                }
                chunkText.append(new ChunkEntry(line, Json.read(text, JsonNode.class)).toLine()).append('\n');
                inChunk++;
                if (inChunk == chunkSize) {
                    chunks.add(writeChunk(job, chunks.size(), firstLine, inChunk, chunkText, groups));
                    chunkText.setLength(0);
                    inChunk = 0;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (inChunk > 0) {
            chunks.add(writeChunk(job, chunks.size(), firstLine, inChunk, chunkText, groups));
        }
        return chunks;
    }

    private ChunkTask writeChunk(Job job, int index, long firstLine, int lines, StringBuilder text, int groups) {
        blobs.put(WorkKeys.chunk(job.id(), index), text.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        int group = index % groups;
        // The job's concurrency, shared over its groups; the first groups take the remainder.
        int share = job.concurrency() / groups + (group < job.concurrency() % groups ? 1 : 0);
        return new ChunkTask(job.tenant(), job.id(), index, firstLine, lines, group, share);
    }
}
