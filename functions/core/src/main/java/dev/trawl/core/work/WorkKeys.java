package dev.trawl.core.work;

/** Object keys of the bucket's layout (DESIGN.md, Data). */
public final class WorkKeys {
    private WorkKeys() {
    }

    public static String input(String jobId) {
        return "work/" + jobId + "/input.ndjson";
    }

    public static String chunk(String jobId, int chunk) {
        return "work/" + jobId + "/chunks/" + pad(chunk) + ".ndjson";
    }

    /** Each attempt writes its own part; the commit names the one that counts. */
    public static String part(String jobId, int chunk, String attempt) {
        return "work/" + jobId + "/parts/" + pad(chunk) + "-" + attempt + ".ndjson";
    }

    public static String result(String tenant, String jobId, String extension) {
        return "results/" + tenant + "/" + jobId + "/result" + extension;
    }

    private static String pad(int chunk) {
        return String.format("%07d", chunk);
    }
}
