package dev.trawl.aws;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a function's environment variables come from: the process environment on Lambda; a function's own
 * variables from {@code template.yaml} when the local runtime, which runs every function in one JVM, builds it.
 */
public final class Environment {
    private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

    private Environment() {
    }

    public static Map<String, String> current() {
        Map<String, String> override = OVERRIDE.get();
        return override != null ? override : System.getenv();
    }

    /** Runs {@code construction} (a handler's no-arg constructor) seeing {@code variables} as its environment. */
    public static <T> T with(Map<String, String> variables, Supplier<T> construction) {
        Map<String, String> previous = OVERRIDE.get();
        OVERRIDE.set(Map.copyOf(variables));
        try {
            return construction.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }
}
