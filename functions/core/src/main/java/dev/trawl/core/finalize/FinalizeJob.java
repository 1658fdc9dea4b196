package dev.trawl.core.finalize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.message.JobRef;
import dev.trawl.core.output.ResultWriter;
import dev.trawl.core.output.RowEncoders;
import dev.trawl.core.output.TextEncoders;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.webhook.Announcer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the committed chunk parts, in chunk order, into the result file and marks the
 * job {@code completed}. Run twice, it writes the same file again and the second completion is a no-op.
 */
public final class FinalizeJob {
    private static final Log LOG = Log.of("finalizer");
    private final JobStore jobs;
    private final ChunkLedger ledger;
    private final BlobStore blobs;
    private final Announcer announcer;
    private final Clock clock;

    /** Result files are split past this many (compressed) bytes unless configured otherwise. */
    public static final long DEFAULT_SPLIT_BYTES = 50L * 1024 * 1024 * 1024;
    private final long splitBytes;
    private final RowEncoders encoders;

    public FinalizeJob(JobStore jobs, ChunkLedger ledger, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue,
                       Clock clock) {
        this(jobs, ledger, deliveries, blobs, queue, clock, DEFAULT_SPLIT_BYTES, new TextEncoders());
    }

    /**
     * @param splitBytes a result file is split into parts past this many (compressed) bytes
     * @param encoders   the result formats this finalizer writes
     */
    public FinalizeJob(JobStore jobs, ChunkLedger ledger, WebhookDeliveries deliveries, BlobStore blobs, WorkQueue queue,
                       Clock clock, long splitBytes, RowEncoders encoders) {
        this.encoders = encoders;
        this.jobs = jobs;
        this.ledger = ledger;
        this.blobs = blobs;
        this.announcer = new Announcer(deliveries, queue, clock);
        this.clock = clock;
        this.splitBytes = splitBytes;
    }

    public void finalizeJob(JobRef ref) throws IOException {
        Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
        if (job != null && job.status().terminal()) {
            announcer.endedEarlier(job);
        }
        if (job == null || job.status().terminal()) {
            LOG.info(ref.jobId(), "finalize request for a job that is gone or terminal; dropped");
            return;
        }
        if (job.status() != JobStatus.RUNNING && job.status() != JobStatus.CANCELLING) {
            throw new IllegalStateException("job " + job.id() + " is " + job.status().wire() + ", not running");
        }
        List<ResultPart> parts = writeResult(job);
        // The job may have been cancelled meanwhile: decide its end from its latest state.
        for (int attempt = 0; attempt < 5; attempt++) {
            Job latest = jobs.find(job.tenant(), job.id()).orElse(null);
            if (latest == null || latest.status().terminal()) {
                return;
            }
            JobStatus terminal = terminalStatusOf(latest);
            Failure failure = failureOf(latest);
            if (jobs.finish(latest.tenant(), latest.id(), latest.status(), terminal, failure, parts, clock.instant())) {
                LOG.info(job.id(), "job finished", "status", terminal.wire(), "parts", parts.size(),
                        "rows", parts.stream().mapToLong(ResultPart::rows).sum());
                announcer.ended(latest);
                return;
            }
        }
        throw new IllegalStateException("job " + job.id() + " kept changing while it was finalized");
    }

    static JobStatus terminalStatusOf(Job job) {
        if (job.status() == JobStatus.CANCELLING) {
            return JobStatus.CANCELLED;
        }
        return tooManyErrors(job) ? JobStatus.FAILED : JobStatus.COMPLETED;
    }

    /**
     * The stop for errors is recorded after the commits, and may be lost; the committed counters decide as well.
     */
    private static boolean tooManyErrors(Job job) {
        MaxErrors maxErrors = job.settings().maxErrors();
        return job.stopReason() == StopReason.MAX_ERRORS_EXCEEDED || (maxErrors != null && job.urlsTotal() != null
                && job.counters().errored() > maxErrors.allowed(job.urlsTotal()));
    }

    static Failure failureOf(Job job) {
        if (job.stopReason() == StopReason.LIFETIME_EXCEEDED) {
            return new Failure("lifetime_exceeded", "The job ran longer than its max_lifetime_s of "
                    + job.settings().maxLifetimeSeconds() + " s and was stopped; the rows fetched before are kept.");
        }
        if (job.status() != JobStatus.CANCELLING && tooManyErrors(job)) {
            return new Failure("max_errors_exceeded", "More URLs ended in error than max_errors allows ("
                    + job.settings().maxErrors().wire() + "); the job stopped and the rows fetched before are kept.");
        }
        return null;
    }

    /**
     * Streams the committed chunk parts, in chunk order, into the result file(s), writes the manifest beside them,
     * and returns what they are (their links are made when the job is shown).
     */
    private List<ResultPart> writeResult(Job job) throws IOException {
        OutputSpec output = job.settings().output();
        long rows = 0;
        int expectedChunk = 0;
        int expectedStart = 0;
        List<ResultWriter.WrittenPart> written;
        try (ResultWriter writer = new ResultWriter(blobs, job.tenant(), job.id(), output, splitBytes,
                job.settings().extraction() == null ? List.of() : job.settings().extraction().columns(), encoders)) {
            for (ChunkResult chunk : ledger.committedChunks(job.id())) {
                if (chunk.chunk() != expectedChunk || chunk.start() != expectedStart) {
                    throw new IllegalStateException("chunk " + expectedChunk + " from line offset " + expectedStart
                            + " is missing from the commits of job " + job.id());
                }
                try (BufferedReader part = new BufferedReader(new InputStreamReader(blobs.open(chunk.partKey()),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = part.readLine()) != null) {
                        if (!line.isEmpty()) {
                            writer.row(line);
                            rows++;
                        }
                    }
                }
                if (chunk.complete()) {
                    expectedChunk++;
                    expectedStart = 0;
                } else {
                    expectedStart = chunk.end();
                }
            }
            if (job.chunksTotal() == null || expectedChunk != job.chunksTotal() || expectedStart != 0
                    || rows != job.urlsTotal()) {
                throw new IllegalStateException("job " + job.id() + " has " + expectedChunk + " chunks and " + rows
                        + " rows committed, expected " + job.chunksTotal() + " and " + job.urlsTotal());
            }
            written = writer.finish();
        }
        writeManifest(job, written);
        List<ResultPart> parts = new ArrayList<>();
        for (ResultWriter.WrittenPart part : written) {
            parts.add(new ResultPart(part.key(), part.bytes(), part.rows(), part.sha256()));
        }
        return parts;
    }

    /** {@code manifest.json} beside the parts: what the job's result is made of, for tools that list the prefix. */
    private void writeManifest(Job job, List<ResultWriter.WrittenPart> parts) {
        ObjectNode manifest = Json.object();
        manifest.put("job_id", job.id());
        manifest.put("format", job.settings().output().format());
        manifest.put("gzip", job.settings().output().gzip());
        manifest.put("rows", parts.stream().mapToLong(ResultWriter.WrittenPart::rows).sum());
        ArrayNode list = manifest.putArray("parts");
        for (ResultWriter.WrittenPart part : parts) {
            list.addObject().put("file", part.key().substring(part.key().lastIndexOf('/') + 1))
                    .put("bytes", part.bytes()).put("rows", part.rows()).put("sha256", part.sha256());
        }
        blobs.put(BucketLayout.manifest(job.tenant(), job.id()),
                Json.write(manifest).getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
