package dev.trawl.core.testing;

import dev.trawl.core.job.FetchOptions;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.job.JobSettings;
import dev.trawl.core.job.MaxErrors;
import dev.trawl.core.job.OutputSpec;
import dev.trawl.core.layout.BucketLayout;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.util.Ids;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Jobs and settings for tests. */
public final class TestJobs {
    /** Ids in creation order across a test run. */
    private static final Ids IDS = new Ids(Clock.systemUTC());

    private TestJobs() {
    }

    public static String newId() {
        return IDS.next("job_");
    }

    public static Settings settings() {
        return new Settings();
    }

    /** {@link JobSettings} from {@link JobSettings#DEFAULTS}, changed field by field. */
    public static final class Settings {
        private int concurrency = JobSettings.DEFAULT_CONCURRENCY;
        private OutputSpec output = OutputSpec.DEFAULT;
        private FetchOptions defaults = FetchOptions.DEFAULTS;
        private long downloadUrlTtlSeconds = JobSettings.DEFAULT_DOWNLOAD_TTL_S;
        private boolean dryRun;
        private MaxErrors maxErrors;
        private String regexFilter;
        private long maxUrls;
        private long maxLifetimeSeconds = JobSettings.DEFAULT_MAX_LIFETIME_S;

        public Settings concurrency(int value) {
            concurrency = value;
            return this;
        }

        public Settings output(OutputSpec value) {
            output = value;
            return this;
        }

        public Settings defaults(FetchOptions value) {
            defaults = value;
            return this;
        }

        public Settings downloadUrlTtlSeconds(long value) {
            downloadUrlTtlSeconds = value;
            return this;
        }

        public Settings dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Settings maxErrors(MaxErrors value) {
            maxErrors = value;
            return this;
        }

        public Settings regexFilter(String value) {
            regexFilter = value;
            return this;
        }

        public Settings maxUrls(long value) {
            maxUrls = value;
            return this;
        }

        public Settings maxLifetimeSeconds(long value) {
            maxLifetimeSeconds = value;
            return this;
        }

        public JobSettings build() {
            return new JobSettings(concurrency, output, defaults, downloadUrlTtlSeconds, dryRun, maxErrors, regexFilter,
                    maxUrls, maxLifetimeSeconds);
        }
    }

    /**
     * A job accepted as the API accepts one: its input lines written to its input object and the job created
     * {@code queued} in the store.
     */
    public static Job submit(JobStore jobs, InMemoryBlobStore blobs, String tenant, Instant now, JobSettings settings,
                             List<String> inputLines) {
        return submit(jobs, blobs, null, tenant, now, settings, inputLines);
    }

    /** The same, its webhook secret (if any) stored sealed by {@code secrets}, as the API stores it. */
    public static Job submit(JobStore jobs, InMemoryBlobStore blobs, Secrets secrets, String tenant, Instant now,
                             JobSettings settings, List<String> inputLines) {
        String id = newId();
        if (secrets != null && settings.webhook() != null) {
            settings = settings.withWebhook(settings.webhook().withSecret(secrets.seal(settings.webhook().secret(), id)));
        }
        StringBuilder input = new StringBuilder();
        for (String line : inputLines) {
            input.append(line).append('\n');
        }
        blobs.put(BucketLayout.input(id), input.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        Job job = Job.accepted(id, tenant, "test-job", now, JobInput.inline(BucketLayout.input(id)), settings, null);
        jobs.create(job);
        return jobs.find(tenant, id).orElseThrow();
    }

    /** A JSON string line for a URL. */
    public static String quoted(String url) {
        return "\"" + url.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
