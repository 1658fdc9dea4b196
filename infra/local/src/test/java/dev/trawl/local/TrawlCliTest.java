package dev.trawl.local;

import dev.trawl.core.auth.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --api-key TENANT=KEY}, and the runtime's own check of the tenant ids it is given. */
class TrawlCliTest {
    private static final CommandLine SERVE = new CommandLine(new TrawlCli.Serve());

    @Test
    void apiKeysAreReadAsKeyToTenant() {
        assertEquals(Map.of("key-1", "acme", "k=2", "globex_eu"),
                TrawlCli.Serve.keysByKey(SERVE, List.of("acme=key-1", "globex_eu=k=2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme", "acme/eu", "-acme", "acme eu", "acmé"})
    void aTenantIdOffTheRuleIsRefusedNamingTheTenantAndTheRuleButNotTheKey(String tenant) {
        CommandLine.ParameterException refused = assertThrows(CommandLine.ParameterException.class,
                () -> TrawlCli.Serve.keysByKey(SERVE, List.of("acme=fine", tenant + "=secret-key")));

        assertTrue(refused.getMessage().contains("\"" + tenant + "\""), refused.getMessage());
        assertTrue(refused.getMessage().contains(TenantId.RULE), refused.getMessage());
        assertFalse(refused.getMessage().contains("secret-key"), refused.getMessage());
    }

    @Test
    void sixtyFiveCharactersAreRefused() {
        assertThrows(CommandLine.ParameterException.class,
                () -> TrawlCli.Serve.keysByKey(SERVE, List.of("a".repeat(65) + "=key")));
        assertEquals(Map.of("key", "a".repeat(64)), TrawlCli.Serve.keysByKey(SERVE, List.of("a".repeat(64) + "=key")));
    }

    /** The whole command line: refused before anything starts, with picocli's usage-error exit code. */
    @Test
    void serveRefusesABadTenantBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new TrawlCli()).setErr(new PrintWriter(err, true));

        int exit = command.execute("serve", "--port", "0", "--api-key", "acme/eu=secret-key");

        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("--api-key: the tenant id \"acme/eu\" is not valid"), err.toString());
        assertFalse(err.toString().contains("secret-key"), err.toString());
    }

    @Test
    void awsLatencyIsNoneByDefaultAndRealisticOnAsking() {
        TrawlCli.Serve serve = new TrawlCli.Serve();
        CommandLine command = new CommandLine(serve);
        command.parseArgs();
        assertEquals(LatencyProfile.NONE, TrawlCli.Serve.latency(command, serve.awsLatency));

        command.parseArgs("--aws-latency", "realistic");
        assertEquals("realistic", TrawlCli.Serve.latency(command, serve.awsLatency).name());
    }

    @Test
    void serveRefusesAnotherAwsLatencyBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new TrawlCli()).setErr(new PrintWriter(err, true));

        int exit = command.execute("serve", "--port", "0", "--aws-latency", "fast");

        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("--aws-latency must be none or realistic, not 'fast'"), err.toString());
    }

    @Test
    void theRuntimeRefusesATenantIdOffTheRuleFromAnyCaller() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new LocalRuntime.Options(
                LocalStackExtension.template(), 0, Map.of("key", "acme/eu"), Set.of(), Map.of(), false));
        assertTrue(refused.getMessage().contains(TenantId.RULE), refused.getMessage());
    }
}
