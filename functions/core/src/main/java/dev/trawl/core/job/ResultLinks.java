package dev.trawl.core.job;

import java.time.Duration;
import java.time.Instant;

/** How long a signed link to a job's result may live when signed at a given moment. */
public final class ResultLinks {
    /** The longest an S3 SigV4 signature may be valid. */
    public static final Duration MAX_SIGNED_LINK = Duration.ofDays(7);

    private ResultLinks() {
    }

    /**
     * What is left of the job's {@code download_url_ttl_s}, counted from its completion, at {@code now}, but at most
     * the seven days a signature may last; zero or less once the job's links have run out.
     */
    public static Duration lifetime(Instant completedAt, long downloadUrlTtlSeconds, Instant now) {
        Duration left = Duration.between(now, completedAt.plusSeconds(downloadUrlTtlSeconds));
        return left.compareTo(MAX_SIGNED_LINK) < 0 ? left : MAX_SIGNED_LINK;
    }
}
