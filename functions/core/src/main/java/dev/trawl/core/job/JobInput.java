package dev.trawl.core.job;


/**
 * Where a job's input entries are and in what form.
 *
 * @param type     {@code inline}, {@code upload}, {@code inbox}, {@code s3} or {@code retry}, as the job object shows it
 * @param key      the object the planner reads; for a {@code retry}, the original job's work prefix, whose chunk files
 *                 and committed parts the planner reads the errored entries from (the original is the job's
 *                 {@code retry_of})
 * @param format   null when the planner is to detect it (a dropped file, a client's object)
 * @param uploadId the upload, for {@code upload} inputs
 * @param bucket   the bucket of {@code s3} inputs (a client's, or the service's for a tenant's own upload prefix);
 *                 null for the others, which are in the service's bucket
 * @param roleArn  the client's role to read {@code bucket} as, or null
 * @param etag     the object's ETag when the job was created (the input is pinned: the planner reads that version or
 *                 fails the job {@code input_changed}); null for inline entries, which the service wrote itself, and
 *                 for jobs created before inputs were pinned
 */
public record JobInput(String type, String key, InputFormat format, String uploadId, String bucket, String roleArn,
                       String etag) {

    public JobInput(String type, String key, InputFormat format, String uploadId, String bucket, String roleArn) {
        this(type, key, format, uploadId, bucket, roleArn, null);
    }

    /** The same input, pinned to the object's version with this ETag (null: not pinned). */
    public JobInput pinned(String objectEtag) {
        return new JobInput(type, key, format, uploadId, bucket, roleArn, quoted(objectEtag));
    }

    /** An ETag as S3's HEAD and GET give it and If-Match takes it, in quotes (S3's notifications leave them out). */
    public static String quoted(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    public static JobInput inline(String key) {
        return new JobInput("inline", key, InputFormat.ENTRIES, null, null, null);
    }

    public static JobInput upload(String key, InputFormat format, String uploadId) {
        return new JobInput("upload", key, format, uploadId, null, null);
    }

    public static JobInput inbox(String key) {
        return new JobInput("inbox", key, null, null, null, null);
    }

    /**
     * The entries that ended in error in another job, which the planner reads from that job's chunk files and committed
     * parts (immutable once committed: they are their own pin).
     */
    public static JobInput retry(String originalWorkPrefix) {
        return new JobInput("retry", originalWorkPrefix, InputFormat.ENTRIES, null, null, null);
    }

    /** A client's object: in its own bucket, or under its upload prefix of the service's. */
    public static JobInput s3(String bucket, String key, String roleArn) {
        return new JobInput("s3", key, null, null, bucket, roleArn);
    }


    /** The file's name for format detection: the last part of its key. */
    public String filename() {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
