package dev.trawl.core.finish;

import dev.trawl.core.job.Failure;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.job.StopReason;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Log;
import dev.trawl.core.work.ChunkResult;
import dev.trawl.core.work.JobRef;
import dev.trawl.core.work.WorkKeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Streams the committed chunk parts, in chunk order, into the result file, signs its link and marks the
 * job {@code completed}. Run twice, it writes the same file again and the second completion is a no-op.
 */
public final class FinalizeJob {
    private static final Log LOG = Log.of("finalizer");
    /** SigV4 presigned links live at most seven days. */
    private static final long MAX_SIGNED_LINK_S = 7 * 24 * 3600;
    private final JobStore jobs;
    private final BlobStore blobs;
    private final Clock clock;

    public FinalizeJob(JobStore jobs, BlobStore blobs, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.clock = clock;
    }

    public void finalizeJob(JobRef ref) throws IOException {
        Job job = jobs.find(ref.tenant(), ref.jobId()).orElse(null);
        if (job == null || job.status().terminal()) {
            LOG.info(ref.jobId(), "finalize request for a job that is gone or terminal; dropped");
            return;
        }
        if (job.status() != JobStatus.RUNNING && job.status() != JobStatus.CANCELLING) {
            throw new IllegalStateException("job " + job.id() + " is " + job.status().wire() + ", not running");
        }
        ResultPart part = writeResult(job);
        // The job may have been cancelled meanwhile: decide its end from its latest state.
        for (int attempt = 0; attempt < 5; attempt++) {
            Job latest = jobs.find(job.tenant(), job.id()).orElse(null);
            if (latest == null || latest.status().terminal()) {
                return;
            }
            JobStatus terminal = terminalStatusOf(latest);
            Failure failure = failureOf(latest);
            if (jobs.finish(latest.tenant(), latest.id(), latest.status(), terminal, failure, List.of(part), clock.instant())) {
                LOG.info(job.id(), "job finished", "status", terminal.wire(), "rows", part.rows(), "bytes", part.bytes());
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

    /** Streams the committed parts in chunk order into the result object and signs its link. */
    private ResultPart writeResult(Job job) throws IOException {
        OutputSpec output = job.settings().output();
        String key = WorkKeys.result(job.tenant(), job.id(), output.extension());
        long rows = 0;
        int expectedChunk = 0;
        MessageDigest sha256 = sha256();
        CountingOutputStream counted;
        try (BlobStore.Upload upload = blobs.create(key, output.contentType())) {
            counted = new CountingOutputStream(new DigestOutputStream(upload.stream(), sha256));
            OutputStream out = output.gzip() ? new GZIPOutputStream(counted, 64 * 1024) : counted;
            for (ChunkResult chunk : jobs.committedChunks(job.id())) {
                if (chunk.chunk() != expectedChunk) {
                    throw new IllegalStateException("chunk " + expectedChunk + " is missing from the commits of job " + job.id());
                }
                try (InputStream part = blobs.open(chunk.partKey())) {
                    part.transferTo(out);
                }
                rows += chunk.rows();
                expectedChunk++;
            }
            if (job.chunksTotal() == null || expectedChunk != job.chunksTotal() || rows != job.urlsTotal()) {
                throw new IllegalStateException("job " + job.id() + " has " + expectedChunk + " chunks and " + rows
                        + " rows committed, expected " + job.chunksTotal() + " and " + job.urlsTotal());
            }
            out.close(); // ends the gzip stream; the upload's own stream ignores close
            upload.commit();
        }
        Duration ttl = Duration.ofSeconds(Math.min(job.settings().downloadUrlTtlSeconds(), MAX_SIGNED_LINK_S));
        URI link = blobs.presignGet(key, ttl);
        return new ResultPart(key, link.toString(), clock.instant().plus(ttl), counted.count(), rows,
                HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
