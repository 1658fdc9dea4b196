package dev.trawl.local;

import dev.trawl.core.auth.TenantId;
import dev.trawl.core.util.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The {@code trawl} command line. */
@Command(name = "trawl", mixinStandardHelpOptions = true, version = "trawl 0.1.0",
        description = "Trawl on this machine: the API, the pipeline and its emulators in one JVM.",
        subcommands = {TrawlCli.Serve.class, KeysCommand.class, TenantsCommand.class})
public final class TrawlCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrawlCli()).execute(args));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Starts the local stack and serves the API until Ctrl-C.")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        /** The command line running this command: its refusals are printed where its output goes. */
        @Spec
        CommandSpec spec;

        @Option(names = "--port", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
        int port;

        @Option(names = "--api-key", paramLabel = "TENANT=KEY",
                description = "An API key and its tenant (repeatable). With none, a key for tenant 'local' is made and printed.")
        List<String> apiKeys = new ArrayList<>();

        @Option(names = "--allow-target", paramLabel = "HOST[:PORT]",
                description = "A host the fetch target policy lets through, e.g. a local test site (repeatable).")
        List<String> allowTargets = new ArrayList<>();

        @Option(names = "--no-iam", description = "Let every function make any AWS call, for debugging: by default each "
                + "is held to the policies the template gives it, as on AWS, and a call it may not make fails with AccessDenied.")
        boolean noIam;

        @Option(names = "--aws-latency", paramLabel = "none|realistic", defaultValue = "none",
                description = "Latency added to every AWS call to the local emulators: none (default) or realistic, "
                        + "AWS's typical figures per service and operation (see docs/operations.md), e.g. S3 PutObject 30 ms.")
        String awsLatency;

        @Option(names = "--state", paramLabel = "FILE",
                description = "Where to tell 'trawl keys' this stack's table while it runs (default: ~/.trawl/local.json).")
        Path state;

        @Option(names = "--template",
                description = "The SAM template to run; /docs serves the openapi.yaml beside it (default: ${DEFAULT-VALUE}).",
                defaultValue = "template.yaml")
        Path template;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65_535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--port must be from 0 to 65535");
            }
            LatencyProfile latency = latency(spec.commandLine(), awsLatency);
            Map<String, String> keys = keysByKey(spec.commandLine(), apiKeys);
            if (!Files.isRegularFile(template)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no template at " + template.toAbsolutePath());
            }
            String generated = null;
            if (keys.isEmpty()) {
                generated = "trawl_local_" + Ids.secret(24);
                keys.put(generated, "local");
            }
            Set<String> targets = new LinkedHashSet<>();
            allowTargets.forEach(t -> targets.add(t.toLowerCase(Locale.ROOT)));

            LocalRuntime runtime;
            try {
                runtime = LocalRuntime.start(new LocalRuntime.Options(template, port, keys, targets, Map.of(), true)
                        .withIam(!noIam).withAwsLatency(latency));
            } catch (StrictTemplate.Refused e) {
                // What to fix in the template, not a stack trace.
                System.err.println(template + ": " + e.getMessage());
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Path stateFile = state != null ? state : LocalTarget.defaultFile();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.err.println("Stopping Trawl…");
                LocalTarget.removeIfOwn(stateFile);
                runtime.close();
                stopped.countDown();
            }));
            awaitAnswer(runtime.apiUrl());
            LocalTarget.of(runtime).write(stateFile);
            if (generated != null) {
                System.out.println("API key for tenant 'local': " + generated);
            }
            if (!targets.isEmpty()) {
                System.out.println("Fetch targets allowed besides public hosts: " + String.join(", ", targets));
            }
            if (!latency.isNone()) {
                System.out.println("AWS latency: " + latency.name());
            }
            System.out.println("Trawl API listening on " + runtime.apiUrl());
            System.out.flush();
            stopped.await();
            return 0;
        }

        /** The {@code --aws-latency} profile; another value is a usage error naming the choices. */
        static LatencyProfile latency(CommandLine command, String name) {
            try {
                return LatencyProfile.named(name);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command, "--aws-latency must be none or realistic, not '" + name + "'");
            }
        }

        /**
         * The {@code --api-key TENANT=KEY} entries as key → tenant. A tenant id must keep to {@link TenantId#RULE}; a
         * refusal names the tenant but never the key.
         */
        static Map<String, String> keysByKey(CommandLine command, List<String> entries) {
            Map<String, String> keys = new LinkedHashMap<>();
            for (String entry : entries) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new CommandLine.ParameterException(command, "--api-key takes TENANT=KEY, got '" + entry + "'");
                }
                String tenant = entry.substring(0, eq);
                if (!TenantId.isValid(tenant)) {
                    throw new CommandLine.ParameterException(command, "--api-key: " + TenantId.refusal(tenant));
                }
                keys.put(entry.substring(eq + 1), tenant);
            }
            return keys;
        }

        private static void awaitAnswer(URI api) throws Exception {
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(api.resolve("/v1/jobs")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 401) {
                    throw new IllegalStateException("the local API answered " + answer.statusCode() + " to an unauthenticated call");
                }
            }
        }
    }
}
