package dev.trawl.local;

import dev.trawl.local.OperatorCommands.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import static dev.trawl.local.OperatorCommands.trawl;
import static dev.trawl.local.OperatorCommands.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trawl keys create|list|revoke} against the running local stack: a created key authenticates a real API
 * call, a revoked one gets {@code 401}; and the command line's refusals.
 */
@ExtendWith(LocalStackExtension.class)
class KeysCommandTest {
    @TempDir
    Path dir;

    private Path state(LocalRuntime runtime) {
        return OperatorCommands.state(runtime, dir);
    }

    private static String tenant() {
        return "keys-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCreatedKeyAuthenticatesIsListedAndOnceRevokedGets401(LocalRuntime runtime) throws Exception {
        Path state = state(runtime);
        String tenant = tenant();

        Run created = trawl(with(state, "keys", "create", "--tenant", tenant, "--name", "ci pipeline"));

        assertEquals(0, created.exit(), created.err());
        String key = created.out().strip();
        assertTrue(key.matches("trawl_[0-9A-Za-z]{40}"), created.out());
        assertTrue(created.err().contains("for tenant '" + tenant + "'"), created.err());
        assertTrue(created.err().contains("shown this once"), created.err());
        Api api = new Api(runtime.apiUrl(), key);
        Api.Answer jobs = api.get("/v1/jobs");
        assertEquals(200, jobs.status(), jobs.raw().body());
        assertEquals(0, jobs.body().get("jobs").size(), "a new tenant has no jobs");

        Run listed = trawl(with(state, "keys", "list", "--tenant", tenant));
        assertEquals(0, listed.exit(), listed.err());
        String[] lines = listed.out().split("\n");
        assertEquals(2, lines.length, listed.out());
        assertTrue(lines[0].startsWith("KEY ID"), listed.out());
        String keyId = lines[1].split("\\s+")[0];
        assertTrue(keyId.matches("key_[0-9a-z]{12}"), listed.out());
        assertTrue(lines[1].contains(tenant) && lines[1].contains("ci pipeline")
                && lines[1].contains(key.substring(0, 10) + "…"), listed.out());
        assertFalse(listed.out().contains(key), "the key itself is never shown again");
        assertTrue(trawl(with(state, "keys", "list")).out().contains(keyId), "listed among all tenants' keys");
        assertTrue(created.err().contains("Created " + keyId), created.err());

        Run revoked = trawl(with(state, "keys", "revoke", keyId));

        assertEquals(0, revoked.exit(), revoked.err());
        assertTrue(revoked.out().contains("Revoked " + keyId), revoked.out());
        assertEquals(401, api.get("/v1/jobs").status());
        Run listedAfter = trawl(with(state, "keys", "list", "--tenant", tenant));
        assertEquals("", listedAfter.out());
        assertTrue(listedAfter.err().contains("No keys for tenant"), listedAfter.err());
    }

    @Test
    void keysOfTheServeOptionAndOfOtherTenantsKeepWorking(LocalRuntime runtime) throws Exception {
        Path state = state(runtime);
        String tenant = tenant();
        String key = trawl(with(state, "keys", "create", "--tenant", tenant)).out().strip();
        String other = trawl(with(state, "keys", "create", "--tenant", tenant)).out().strip();
        assertEquals(3, trawl(with(state, "keys", "list", "--tenant", tenant)).out().split("\n").length);
        String firstId = idOf(state, tenant, key);

        assertEquals(0, trawl(with(state, "keys", "revoke", firstId)).exit());

        assertEquals(401, new Api(runtime.apiUrl(), key).get("/v1/jobs").status());
        assertEquals(200, new Api(runtime.apiUrl(), other).get("/v1/jobs").status(), "the tenant's other key still works");
        assertEquals(200, new Api(runtime.apiUrl(), SharedRuntimeExtension.ACME_KEY).get("/v1/jobs").status(),
                "a key given to the runtime (trawl serve --api-key) still works");
    }

    /** The id of the key whose listed prefix is the key's. */
    private static String idOf(Path state, String tenant, String key) {
        for (String line : trawl(with(state, "keys", "list", "--tenant", tenant)).out().split("\n")) {
            if (line.contains(key.substring(0, 10) + "…")) {
                return line.split("\\s+")[0];
            }
        }
        throw new AssertionError("no listed key starts as " + key.substring(0, 10));
    }

    @Test
    void revokingAnUnknownIdSaysSoAndFails(LocalRuntime runtime) {
        Run run = trawl(with(state(runtime), "keys", "revoke", "key_000000000000"));

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("No key key_000000000000"), run.err());
    }

    @Test
    void theStateFileIsItsOwnersOnlyAndNamesTheTable(LocalRuntime runtime) throws Exception {
        Path file = state(runtime);

        LocalTarget read = LocalTarget.read(file);
        assertEquals(runtime.keyTable(), read.table());
        assertEquals(runtime.backend().dynamoDbEndpoint(), read.dynamoDbEndpoint());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        LocalTarget.removeIfOwn(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void withoutARunningStackTheCommandSaysToStartOne() {
        Run run = trawl("keys", "list", "--state", dir.resolve("none.json").toString());

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("no local stack is running") && run.err().contains("trawl serve"), run.err());
    }

    @Test
    void theCommandLinesRefusals() {
        Run noTenant = trawl("keys", "create");
        assertEquals(2, noTenant.exit());
        assertTrue(noTenant.err().contains("--tenant"), noTenant.err());

        Path missing = dir.resolve("none.json");
        Run badTenant = trawl("keys", "create", "--tenant", "Acme/EU", "--state", missing.toString());
        assertEquals(2, badTenant.exit(), "refused before the stack is looked for: " + badTenant.err());
        assertTrue(badTenant.err().contains("[a-z0-9][a-z0-9_-]{0,63}"), badTenant.err());

        Run both = trawl("keys", "list", "--table", "trawl-Table", "--local");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        Run regionAlone = trawl("keys", "list", "--region", "eu-west-1", "--state", missing.toString());
        assertEquals(2, regionAlone.exit());
        assertTrue(regionAlone.err().contains("--region and --profile go with --table"), regionAlone.err());

        Run noId = trawl("keys", "revoke");
        assertEquals(2, noId.exit());
        assertTrue(noId.err().contains("KEY_ID"), noId.err());
    }

    @Test
    void aDeployedTableIsNamedWithItsRegionAndProfile() {
        CommandLine.ParseResult parsed = new CommandLine(new TrawlCli())
                .parseArgs("keys", "list", "--table", "trawl-Table-1ABC", "--region", "eu-west-1", "--profile", "ops");

        KeysCommand.ListKeys list = (KeysCommand.ListKeys) parsed.subcommand().subcommand().commandSpec().userObject();
        assertEquals("trawl-Table-1ABC", list.target.where.table);
        assertEquals("eu-west-1", list.target.region);
        assertEquals("ops", list.target.profile);
        assertFalse(list.target.where.local);
    }

    @Test
    void aBadTenantOrKeyIdIsAUsageErrorNamingTheRule(LocalRuntime runtime) {
        Path state = state(runtime);
        Run badTenant = trawl(with(state, "keys", "create", "--tenant", "Acme/EU"));
        assertEquals(2, badTenant.exit());
        assertTrue(badTenant.err().contains("[a-z0-9][a-z0-9_-]{0,63}"), badTenant.err());

        Run badId = trawl(with(state, "keys", "revoke", "trawl_secretlooking"));
        assertEquals(2, badId.exit());
        assertTrue(badId.err().contains("a key id is key_"), badId.err());
    }
}
