package dev.trawl.core.util;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured JSON log lines on standard output (CloudWatch keeps one event per line).
 * Every line about a job carries its job_id; callers never pass keys, secrets or signed links.
 */
public final class Log {
    private static volatile PrintStream out = System.out;
    private final String component;

    private Log(String component) {
        this.component = component;
    }

    public static Log of(String component) {
        return new Log(component);
    }

    /** Redirects every logger (tests and the local runtime keep the console quiet). */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public void info(String jobId, String message, Object... fields) {
        write("INFO", jobId, message, null, fields);
    }

    public void warn(String jobId, String message, Object... fields) {
        write("WARN", jobId, message, null, fields);
    }

    public void error(String jobId, String message, Throwable error, Object... fields) {
        write("ERROR", jobId, message, error, fields);
    }

    private void write(String level, String jobId, String message, Throwable error, Object[] fields) {
        ObjectNode line = Json.object();
        line.put("ts", Instant.now().toString());
        line.put("level", level);
        line.put("component", component);
        if (jobId != null) {
            line.put("job_id", jobId);
        }
        line.put("msg", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.set(String.valueOf(fields[i]), Json.MAPPER.valueToTree(fields[i + 1]));
        }
        if (error != null) {
            line.put("error", error.getClass().getName() + ": " + error.getMessage());
        }
        out.println(line);
    }
}
