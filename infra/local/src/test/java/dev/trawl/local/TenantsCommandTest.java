package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.DynamoTenants;
import dev.trawl.aws.S3BlobStore;
import dev.trawl.core.tenant.TenantOverrides;
import dev.trawl.local.OperatorCommands.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.trawl.local.OperatorCommands.trawl;
import static dev.trawl.local.OperatorCommands.trawlReading;
import static dev.trawl.local.OperatorCommands.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trawl tenants set|show|reset} against the running local stack: a low request rate set with the command makes
 * that tenant's burst meet {@code 429} through the real API while another tenant is served; job defaults set with it
 * are an inbox drop's; and the command line's refusals (exit code 2). Each test's tenant is new, so that no API
 * container has its settings cached yet.
 */
@ExtendWith(LocalStackExtension.class)
class TenantsCommandTest {
    @TempDir
    Path dir;

    private Path state(LocalRuntime runtime) {
        return OperatorCommands.state(runtime, dir);
    }

    private static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A key for the tenant, made with {@code trawl keys create}; the API of that key. */
    private static Api keyed(LocalRuntime runtime, Path state, String tenant) {
        Run created = trawl(with(state, "keys", "create", "--tenant", tenant));
        assertEquals(0, created.exit(), created.err());
        return new Api(runtime.apiUrl(), created.out().strip());
    }

    private static Optional<TenantOverrides> stored(LocalRuntime runtime, String tenant) {
        return new DynamoTenants(new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table")))
                .overrides(tenant);
    }

    @Test
    void aLowRequestRateSetWithTheCommandMeets429WhileAnotherTenantIsServed(LocalRuntime runtime) throws Exception {
        Path state = state(runtime);
        String tenant = newTenant("rate");
        Run set = trawl(with(state, "tenants", "set", tenant, "--requests-per-second", "1", "--burst", "5"));
        assertEquals(0, set.exit(), set.err());
        Api busy = keyed(runtime, state, tenant);
        Api other = new Api(runtime.apiUrl(), SharedRuntimeExtension.ACME_KEY);


        TenantLimitsStackTest.assertBurstMeetsRateLimitedWhileOtherIsServed(busy, other);
    }

    @Test
    void jobDefaultsSetWithTheCommandAreAnInboxDropsSettings(LocalRuntime runtime, TestSite site) throws Exception {
        Path state = state(runtime);
        String tenant = newTenant("inbox");
        Path defaults = dir.resolve("defaults.json");
        Files.writeString(defaults, "{\"concurrency\": 3, \"output\": {\"format\": \"csv\"}}");
        Run set = trawl(with(state, "tenants", "set", tenant, "--job-defaults", defaults.toString()));
        assertEquals(0, set.exit(), set.err());
        Api api = keyed(runtime, state, tenant);

        S3BlobStore bucket = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        bucket.put("inbox/" + tenant + "/urls.txt", site.url("/page/1").getBytes(StandardCharsets.UTF_8), "text/plain");
        JsonNode job = Api.await("the inbox drop's job", Duration.ofSeconds(60), () -> {
            JsonNode jobs = api.get("/v1/jobs?limit=10").body().get("jobs");
            return jobs.isEmpty() ? null : jobs.get(0);
        }, found -> found != null);

        assertEquals(3, job.get("concurrency").intValue(), job.toString());
        assertEquals("csv", job.at("/output/format").asText(), job.toString());
    }

    @Test
    void setKeepsWhatItIsNotGivenDefaultClearsOnePartAndResetClearsAll(LocalRuntime runtime) {
        Path state = state(runtime);
        String tenant = newTenant("parts");

        assertEquals(0, trawl(with(state, "tenants", "set", tenant, "--burst", "40", "--max-active-jobs", "7")).exit());
        assertEquals(0, trawlReading("{\"concurrency\": 5}", with(state, "tenants", "set", tenant, "--burst", "default",
                "--max-concurrency", "1,000", "--job-defaults", "-")).exit());

        TenantOverrides own = stored(runtime, tenant).orElseThrow();
        assertEquals(null, own.requestsPerSecond(), "never set: the deployment's");
        assertEquals(null, own.burst(), "given back to the deployment's");
        assertEquals(7, own.maxActiveJobs(), "kept from the first set");
        assertEquals(1_000, own.maxConcurrency());
        assertEquals(5, own.jobDefaults().concurrency());

        Run shown = trawl(with(state, "tenants", "show", tenant));
        assertEquals(0, shown.exit(), shown.err());
        String[] lines = shown.out().split("\n");
        assertTrue(lines[0].contains(tenant), shown.out());
        assertTrue(lines[2].startsWith("requests-per-second") && lines[2].contains("deployment default")
                && lines[2].contains("TenantRequestsPerSecond"), shown.out());
        assertTrue(lines[3].startsWith("burst") && lines[3].contains("deployment default"), shown.out());
        assertTrue(lines[4].matches("max-active-jobs\\s+7\\s+tenant"), shown.out());
        assertTrue(lines[5].matches("max-concurrency\\s+1000\\s+tenant"), shown.out());
        assertTrue(lines[6].startsWith("job-defaults") && lines[6].endsWith("tenant"), shown.out());

        Run reset = trawl(with(state, "tenants", "reset", tenant));
        assertEquals(0, reset.exit(), reset.err());
        assertTrue(reset.out().contains("deployment's defaults again"), reset.out());
        assertTrue(stored(runtime, tenant).isEmpty(), "the item is gone");
        assertTrue(trawl(with(state, "tenants", "show", tenant)).out().contains("no settings of its own"));
        assertTrue(trawl(with(state, "tenants", "reset", tenant)).out().contains("nothing to reset"));
    }

    @Test
    void settingEveryPartToDefaultRemovesTheItem(LocalRuntime runtime) {
        Path state = state(runtime);
        String tenant = newTenant("empty");
        assertEquals(0, trawl(with(state, "tenants", "set", tenant, "--requests-per-second", "9")).exit());

        assertEquals(0, trawl(with(state, "tenants", "set", tenant, "--requests-per-second", "default")).exit());

        assertTrue(stored(runtime, tenant).isEmpty());
    }

    @Test
    void theCommandLinesRefusalsNameWhatIsWrongAndWriteNothing(LocalRuntime runtime) throws Exception {
        Path state = state(runtime);
        String tenant = newTenant("refused");

        Run badTenant = trawl(with(state, "tenants", "set", "Not A Tenant", "--burst", "5"));
        assertEquals(2, badTenant.exit());
        assertTrue(badTenant.err().contains("TENANT"), badTenant.err());

        Run nothing = trawl(with(state, "tenants", "set", tenant));
        assertEquals(2, nothing.exit());
        assertTrue(nothing.err().contains("Nothing to set"), nothing.err());

        Run zero = trawl(with(state, "tenants", "set", tenant, "--requests-per-second", "0"));
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("requests-per-second must be from 1 to 10,000, not 0"), zero.err());

        Run huge = trawl(with(state, "tenants", "set", tenant, "--max-concurrency", "2000000"));
        assertEquals(2, huge.exit());
        assertTrue(huge.err().contains("max-concurrency must be from 1 to 1,000,000"), huge.err());

        Run word = trawl(with(state, "tenants", "set", tenant, "--burst", "lots"));
        assertEquals(2, word.exit());
        assertTrue(word.err().contains("--burst must be a whole number or 'default'"), word.err());

        Path tooFast = dir.resolve("too-fast.json");
        Files.writeString(tooFast, "{\"concurrency\": 1000}");
        Run concurrency = trawl(with(state, "tenants", "set", tenant, "--job-defaults", tooFast.toString()));
        assertEquals(2, concurrency.exit());
        assertTrue(concurrency.err().contains("--job-defaults: concurrency:"), concurrency.err());

        Run webhook = trawlReading("{\"webhook\": {\"url\": \"https://example.com/hook\"}}",
                with(state, "tenants", "set", tenant, "--job-defaults", "-"));
        assertEquals(2, webhook.exit());
        assertTrue(webhook.err().contains("--job-defaults: webhook:"), webhook.err());

        Run missing = trawl(with(state, "tenants", "set", tenant, "--job-defaults", dir.resolve("none.json").toString()));
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("could not read"), missing.err());

        Run regionAlone = trawl(with(state, "tenants", "show", tenant, "--region", "eu-west-1"));
        assertEquals(2, regionAlone.exit());
        assertTrue(regionAlone.err().contains("--region and --profile go with --table"), regionAlone.err());

        assertFalse(stored(runtime, tenant).isPresent(), "no refused command wrote anything");
    }

    @Test
    void withoutARunningStackTheCommandSaysToStartOne() {
        Run run = trawl("tenants", "show", "acme", "--state", dir.resolve("none.json").toString());

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("no local stack is running"), run.err());
    }
}
