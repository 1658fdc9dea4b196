package dev.trawl.core.layout;

import dev.trawl.core.util.Ids;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things live in the service's bucket, the one place that spells its keys:
 * <pre>
 * uploads/{tenant}/{upload id}                        a tenant's uploaded file
 * inbox/{tenant}/{name}                               a file dropped to start a job
 * work/{job id}/input.ndjson                          a job's inline input (and a retry's)
 * work/{job id}/chunks/{n:7 digits}.ndjson            the lines of chunk n, as the planner cut them
 * work/{job id}/parts/{n:7 digits}-{attempt}.ndjson   the rows one delivery of chunk n wrote
 * results/{tenant}/{job id}/result-{i:5 digits}.ext   the result files, and manifest.json beside them
 * </pre>
 * The bucket's lifecycle rules in template.yaml expire what is under {@link #WORK} and {@link #UPLOADS}.
 */
public final class BucketLayout {
    public static final String UPLOADS = "uploads/";
    public static final String INBOX = "inbox/";
    public static final String WORK = "work/";
    public static final String RESULTS = "results/";
    private static final Pattern UPLOAD_KEY = Pattern.compile(Pattern.quote(UPLOADS) + "([^/]+)/(" + Ids.pattern(Ids.UPLOAD) + ")");
    private static final Pattern INBOX_KEY = Pattern.compile(Pattern.quote(INBOX) + "([^/]+)/(.+)");

    private BucketLayout() {
    }

    public static String upload(String tenant, String uploadId) {
        return uploadsOf(tenant) + uploadId;
    }

    /** Every upload of the tenant: the only part of the service's bucket a tenant may name as an input. */
    public static String uploadsOf(String tenant) {
        return UPLOADS + tenant + "/";
    }

    public static String input(String jobId) {
        return workPrefix(jobId) + "input.ndjson";
    }

    public static String chunk(String jobId, int chunk) {
        return chunksPrefix(jobId) + pad(chunk) + ".ndjson";
    }

    public static String chunksPrefix(String jobId) {
        return workPrefix(jobId) + "chunks/";
    }

    /** Each attempt writes its own part; the commit names the one that counts. */
    public static String part(String jobId, int chunk, String attempt) {
        return partsPrefix(jobId) + pad(chunk) + "-" + attempt + ".ndjson";
    }

    public static String partsPrefix(String jobId) {
        return workPrefix(jobId) + "parts/";
    }

    /** Every work file of a job: input, chunks, parts. */
    public static String workPrefix(String jobId) {
        return WORK + jobId + "/";
    }

    public static String resultPrefix(String tenant, String jobId) {
        return RESULTS + tenant + "/" + jobId + "/";
    }

    /** Result part {@code number} (from 1), with the format's extension. */
    public static String resultPart(String tenant, String jobId, int number, String extension) {
        return resultPrefix(tenant, jobId) + String.format("result-%05d", number) + extension;
    }

    public static String manifest(String tenant, String jobId) {
        return resultPrefix(tenant, jobId) + "manifest.json";
    }

    /** A file that arrived in the bucket from outside the pipeline, told apart by its key. */
    public sealed interface Arrival {
        String tenant();
    }

    /** A file PUT to an upload's signed link, or stored from a request. */
    public record UploadedFile(String tenant, String uploadId) implements Arrival {
    }

    /** A file dropped into a tenant's inbox; {@code key} is its whole key. */
    public record DroppedFile(String tenant, String key) implements Arrival {
        /** The file's name, the part of the key after the tenant. */
        public String name() {
            return key.substring(INBOX.length() + tenant.length() + 1);
        }
    }

    /** What an object's key says it is; empty for keys that are not arrivals (work files, results, stray keys). */
    public static Optional<Arrival> arrival(String key) {
        Matcher upload = UPLOAD_KEY.matcher(key);
        if (upload.matches()) {
            return Optional.of(new UploadedFile(upload.group(1), upload.group(2)));
        }
        Matcher inbox = INBOX_KEY.matcher(key);
        if (inbox.matches()) {
            return Optional.of(new DroppedFile(inbox.group(1), key));
        }
        return Optional.empty();
    }

    private static String pad(int chunk) {
        return String.format("%07d", chunk);
    }
}
