package dev.trawl.core.manage;

import dev.trawl.core.error.Expired;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.ResultPart;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.JobStore;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A download link followed: the part it names, as a storage link signed now for a few minutes (a download that has
 * started goes on past them). A link that was edited, or whose job is gone, names nothing; one past its expiry is
 * refused as expired.
 */
public final class DownloadResult {
    /** How long the storage link lives: long enough to start the download, never long enough to pass around. */
    public static final Duration STORAGE_LINK_TTL = Duration.ofMinutes(5);
    private final JobStore jobs;
    private final BlobStore blobs;
    private final DownloadLinks links;
    private final Clock clock;

    public DownloadResult(JobStore jobs, BlobStore blobs, DownloadLinks links, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.links = links;
        this.clock = clock;
    }

    public URI storageLink(String token) {
        DownloadLinks.Target target = links.read(token).orElseThrow(DownloadResult::noSuchLink);
        Instant now = clock.instant();
        if (!now.isBefore(target.expiresAt())) {
            throw new Expired("link_expired", "This download link expired at " + target.expiresAt()
                    + "; GET the job with your API key for a new one while its result is kept.");
        }
        Job job = jobs.find(target.tenant(), target.jobId()).orElseThrow(DownloadResult::noSuchLink);
        List<ResultPart> parts = job.resultParts();
        if (parts == null || target.part() >= parts.size() || !target.expiresAt().equals(job.linksExpireAt().truncatedTo(ChronoUnit.MILLIS))) {
            throw noSuchLink();
        }
        Duration left = Duration.between(now, target.expiresAt());
        return blobs.presignGet(parts.get(target.part()).key(), left.compareTo(STORAGE_LINK_TTL) < 0 ? left : STORAGE_LINK_TTL);
    }

    private static NotFound noSuchLink() {
        return new NotFound("No result at this link.");
    }
}
