package dev.trawl.core.job;

import dev.trawl.core.testing.TestJobs;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The job store keeps a job's settings as JSON: they must come back exactly. */
class JobSettingsTest {

    private static JobSettings roundTrip(JobSettings settings) {
        return Json.read(Json.write(settings), JobSettings.class);
    }

    @Test
    void theDefaultsRoundTrip() {
        assertEquals(JobSettings.DEFAULTS, roundTrip(JobSettings.DEFAULTS));
        assertFalse(Json.write(JobSettings.DEFAULTS).contains("max_errors") || Json.write(JobSettings.DEFAULTS).contains("maxErrors"),
                "no limit, no field: " + Json.write(JobSettings.DEFAULTS));
    }

    @Test
    void everySettingRoundTrips() {
        JobSettings settings = TestJobs.settings().concurrency(100).output(new OutputSpec("ndjson", true))
                .defaults(new FetchOptions(5_000, 0, Map.of("Accept-Language", "en", "X-Tab", "a\tb"), "HEAD", false, 1024, 2))
                .downloadUrlTtlSeconds(60).dryRun(true).maxErrors(MaxErrors.ofPercent(12.5))
                .regexFilter("^https://example\\.com/(a|b)").maxUrls(1_000_000).maxLifetimeSeconds(1).build();
        assertEquals(settings, roundTrip(settings));
        JobSettings counted = TestJobs.settings().maxErrors(MaxErrors.ofCount(0)).build();
        assertEquals(counted, roundTrip(counted));
    }
}
