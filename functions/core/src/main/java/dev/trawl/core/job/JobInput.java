package dev.trawl.core.job;

import dev.trawl.core.input.InputFormat;

/**
 * Where a job's input entries are and in what form.
 *
 * @param type     {@code inline}, {@code upload} or {@code inbox}, as the job object shows it
 * @param key      the object the planner reads
 * @param format   null when the planner is to detect it (a file dropped into the inbox)
 * @param uploadId the upload, for {@code upload} inputs
 */
public record JobInput(String type, String key, InputFormat format, String uploadId) {

    public static JobInput inline(String key) {
        return new JobInput("inline", key, InputFormat.ENTRIES, null);
    }

    public static JobInput upload(String key, InputFormat format, String uploadId) {
        return new JobInput("upload", key, format, uploadId);
    }

    public static JobInput inbox(String key) {
        return new JobInput("inbox", key, null, null);
    }

    /** The file's name for format detection: the last part of its key. */
    public String filename() {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
