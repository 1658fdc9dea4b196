package dev.trawl.core.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.Unprocessable;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.Webhook;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.message.ChunkResult;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.util.Json;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** A new job of exactly the entries that ended in error, in their order, with the original's settings. */
public final class RetryJob {
    private final JobStore jobs;
    private final ChunkLedger ledger;
    private final BlobStore blobs;
    private final Secrets secrets;
    private final NewJobs newJobs;

    public RetryJob(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue,
                    Secrets secrets, Clock clock) {
        this(jobs, ledger, keys, blobs, queue, secrets, clock, null);
    }

    /** @param tenants the tenants' ceilings on live jobs (null: none) */
    public RetryJob(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, BlobStore blobs, WorkQueue queue,
                    Secrets secrets, Clock clock, TenantSettingsCache tenants) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.blobs = blobs;
        this.secrets = secrets;
        this.newJobs = new NewJobs(jobs, keys, blobs, queue, secrets, clock, tenants);
    }

    /** The retry's webhook, if any, is the original's: the same URL and secret (opened, and sealed for the retry). */
    public Submitted retry(String tenant, String jobId, Idempotency idempotency) {
        Job original = jobs.find(tenant, jobId).orElseThrow(() -> new NotFound("No job with this id."));
        if (!original.status().terminal()) {
            throw new Conflict("job_active", "The job is still " + original.status().wire()
                    + "; retry it once it has ended.");
        }
        try {
            Webhook webhook = original.settings().webhook();
            JobSettings settings = webhook == null ? original.settings()
                    : original.settings().withWebhook(webhook.withSecret(secrets.open(webhook.secret(), original.id())));
            return newJobs.submit(tenant, original.name(), settings, original.id(), idempotency, null,
                    id -> newJobs.writeEntries(id, out -> writeErroredEntries(original, out)));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileNotFoundException) {
                throw new Unprocessable("retry_unavailable",
                        "The job's work files have expired; submit its URLs as a new job.", null);
            }
            throw e;
        }
    }

    private long writeErroredEntries(Job original, Writer writer) throws IOException {
        long written = 0;
        for (ChunkResult chunk : ledger.committedChunks(original.id())) {
            try (BufferedReader entries = reader(BucketLayout.chunk(original.id(), chunk.chunk()));
                 BufferedReader rows = reader(chunk.partKey())) {
                String entryLine;
                while ((entryLine = entries.readLine()) != null) {
                    if (entryLine.isEmpty()) {
                        continue;
                    }
                    String rowLine = rows.readLine();
                    if (rowLine == null) {
                        throw new IOException("part of chunk " + chunk.chunk() + " has fewer rows than entries");
                    }
                    if ("error".equals(Json.read(rowLine, JsonNode.class).path("status").asText())) {
                        writer.write(Json.write(InputEntry.fromLine(entryLine).entry()));
                        writer.write('\n');
                        written++;
                    }
                }
            }
        }
        return written;
    }

    private BufferedReader reader(String key) throws IOException {
        return new BufferedReader(new InputStreamReader(blobs.open(key), StandardCharsets.UTF_8));
    }
}
