package dev.trawl.core.work;

/** Object keys of the bucket's layout (DESIGN.md, Data). */
public final class WorkKeys {
    private WorkKeys() {
    }

    public static String input(String jobId) {
        return workPrefix(jobId) + "input.ndjson";
    }

    public static String chunk(String jobId, int chunk) {
        return workPrefix(jobId) + "chunks/" + pad(chunk) + ".ndjson";
    }

    /** Each attempt writes its own part; the commit names the one that counts. */
    public static String part(String jobId, int chunk, String attempt) {
        return workPrefix(jobId) + "parts/" + pad(chunk) + "-" + attempt + ".ndjson";
    }

    /** Every work file of a job: input, chunks, parts. */
    public static String workPrefix(String jobId) {
        return "work/" + jobId + "/";
    }

    public static String resultPrefix(String tenant, String jobId) {
        return "results/" + tenant + "/" + jobId + "/";
    }

    private static String pad(int chunk) {
        return String.format("%07d", chunk);
    }
}
