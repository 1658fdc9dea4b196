package dev.trawl.core.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a job was asked to do besides its input; a retry copies them unchanged.
 *
 * @param maxErrors          null when the job never stops for errors
 * @param regexFilter        null when every URL is taken
 * @param maxUrls            0 for no limit
 * @param extract            the validated {@code defaults.extract} in its stored form, or null
 * @param webhook            where the terminal event goes, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSettings(
        int concurrency,
        OutputSpec output,
        FetchOptions defaults,
        long downloadUrlTtlSeconds,
        boolean dryRun,
        MaxErrors maxErrors,
        String regexFilter,
        long maxUrls,
        long maxLifetimeSeconds,
        JsonNode extract,
        Webhook webhook) {

    public JobSettings(int concurrency, OutputSpec output, FetchOptions defaults, long downloadUrlTtlSeconds,
                       boolean dryRun, MaxErrors maxErrors, String regexFilter, long maxUrls, long maxLifetimeSeconds) {
        this(concurrency, output, defaults, downloadUrlTtlSeconds, dryRun, maxErrors, regexFilter, maxUrls,
                maxLifetimeSeconds, null, null);
    }

    public JobSettings withExtract(JsonNode stored) {
        return new JobSettings(concurrency, output, defaults, downloadUrlTtlSeconds, dryRun, maxErrors, regexFilter,
                maxUrls, maxLifetimeSeconds, stored, webhook);
    }

    public JobSettings withWebhook(Webhook hook) {
        return new JobSettings(concurrency, output, defaults, downloadUrlTtlSeconds, dryRun, maxErrors, regexFilter,
                maxUrls, maxLifetimeSeconds, extract, hook);
    }

    /** The job's {@code extract}, compiled; null when the job extracts nothing. */
    @JsonIgnore
    public Extraction extraction() {
        return extract == null ? null : Extraction.fromJson(extract);
    }

    public static final int DEFAULT_CONCURRENCY = 16;
    public static final long DEFAULT_DOWNLOAD_TTL_S = 86_400;
    public static final long DEFAULT_MAX_LIFETIME_S = 86_400;

    public static final JobSettings DEFAULTS = new JobSettings(DEFAULT_CONCURRENCY, OutputSpec.DEFAULT,
            FetchOptions.DEFAULTS, DEFAULT_DOWNLOAD_TTL_S, false, null, null, 0, DEFAULT_MAX_LIFETIME_S);
}
