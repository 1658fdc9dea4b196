package dev.trawl.core.output;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.ResultLinks;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.port.BlobStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job's result links signed anew, to live until the end of its {@code download_url_ttl_s} (counted from
 * completion) but at most the seven days a signature may last: a link handed out (by the API or in a webhook event)
 * is always fresh, however long ago the job ended, and never outlives the job's promise. Past that end the stored,
 * expired links stay.
 */
public final class FreshLinks {
    private FreshLinks() {
    }

    public static Job of(Job job, BlobStore blobs, Instant now) {
        if (job.resultParts() == null || job.resultParts().isEmpty() || job.completedAt() == null) {
            return job;
        }
        Duration ttl = ResultLinks.lifetime(job.completedAt(), job.settings().downloadUrlTtlSeconds(), now);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            return job;
        }
        List<ResultPart> fresh = job.resultParts().stream().map(part -> new ResultPart(part.key(),
                blobs.presignGet(part.key(), ttl).toString(), now.plus(ttl), part.bytes(), part.rows(), part.sha256())).toList();
        return job.withResultParts(fresh);
    }
}
