package dev.trawl.local;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The operators' commands ({@code trawl keys}, {@code trawl tenants}) run in the test's JVM, as a shell would run them. */
final class OperatorCommands {
    private OperatorCommands() {
    }

    /** One run of {@code trawl …}: its exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    static Run trawl(String... args) {
        return trawlReading(null, args);
    }

    /** A run with {@code stdin} as the standard input of {@code trawl tenants set} (its {@code --job-defaults -}). */
    static Run trawlReading(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new TrawlCli()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        if (stdin != null) {
            CommandLine set = line.getSubcommands().get("tenants").getSubcommands().get("set");
            ((TenantsCommand.Set) set.getCommand()).in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The runtime's state file, as {@code trawl serve} writes it, in {@code dir}. */
    static Path state(LocalRuntime runtime, Path dir) {
        Path file = dir.resolve("local.json");
        LocalTarget.of(runtime).write(file);
        return file;
    }

    /** The arguments with {@code --state FILE} after them. */
    static String[] with(Path state, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state");
        all.add(state.toString());
        return all.toArray(String[]::new);
    }
}
