package dev.trawl.core.intake;

import dev.trawl.core.input.FormatDetector;
import dev.trawl.core.input.InputEntry;
import dev.trawl.core.input.InputReader;
import dev.trawl.core.job.Failure;
import dev.trawl.core.job.InputFormat;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ObjectChanged;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Log;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The upload trigger's work: streams an uploaded file once to learn its format, count its URLs and unusable
 * lines, and mark it {@code ready} or {@code invalid} with a reason. Running it again for the same file is harmless.
 */
public final class CheckUpload {
    private static final Log LOG = Log.of("upload-check");
    private final UploadStore uploads;
    private final BlobStore blobs;

    public CheckUpload(UploadStore uploads, BlobStore blobs) {
        this.uploads = uploads;
        this.blobs = blobs;
    }

    public void check(String tenant, String uploadId, long size) throws IOException {
        check(tenant, uploadId, size, null);
    }

    /**
     * @param etag the version the notification is of: the file is read as that version, and recorded as what the
     *             upload is, so that a later PUT to the still valid link does not change a {@code ready} upload (a job
     *             from it fails {@code input_changed}); null to read whatever is there
     */
    public void check(String tenant, String uploadId, long size, String etag) throws IOException {
        String version = JobInput.quoted(etag);
        Upload upload = uploads.find(tenant, uploadId).orElse(null);
        if (upload == null) {
            LOG.warn(null, "object under uploads/ without an upload record; ignored", "upload_id", uploadId);
            return;
        }
        if (upload.status() == UploadStatus.READY || upload.status() == UploadStatus.INVALID) {
            return;
        }
        uploads.startChecking(tenant, uploadId);
        if (size > Upload.MAX_BYTES) {
            uploads.markInvalid(tenant, uploadId, size, new Failure("too_large", "The file is larger than 1 GiB."));
            return;
        }
        if (upload.declaredBytes() != null && size != upload.declaredBytes()) {
            uploads.markInvalid(tenant, uploadId, size, new Failure("size_mismatch",
                    "The file has " + size + " bytes; the upload announced " + upload.declaredBytes() + "."));
            return;
        }
        InputFormat format;
        try {
            format = FormatDetector.detect(upload.filename(), firstLine(upload.key(), version));
        } catch (ObjectChanged e) {
            LOG.info(null, "uploaded object was written again; its own notification checks it", "upload_id", uploadId);
            return;
        } catch (FileNotFoundException e) {
            LOG.warn(null, "uploaded object is gone", "upload_id", uploadId);
            return;
        } catch (IOException e) {
            uploads.markInvalid(tenant, uploadId, size, new Failure("unreadable", "The file could not be read: it is not "
                    + "text, or its gzip stream is broken."));
            return;
        }
        long urls = 0;
        long invalid = 0;
        try (InputReader reader = InputReader.open(blobs.open(upload.key(), version), format)) {
            if (!reader.hasUrlColumn()) {
                uploads.markInvalid(tenant, uploadId, size, new Failure("no_url_column",
                        "The CSV file has no 'url' column in its header row."));
                return;
            }
            InputEntry entry;
            while ((entry = reader.next()) != null) {
                urls++;
                if (entry.invalid() != null) {
                    invalid++;
                }
            }
        } catch (ObjectChanged e) {
            LOG.info(null, "uploaded object was written again; its own notification checks it", "upload_id", uploadId);
            return;
        } catch (IOException e) {
            uploads.markInvalid(tenant, uploadId, size, new Failure("unreadable", "The file could not be read to its end: "
                    + e.getClass().getSimpleName()));
            return;
        }
        if (urls == 0) {
            uploads.markInvalid(tenant, uploadId, size, new Failure("empty", "The file holds no URL."));
            return;
        }
        uploads.markReady(tenant, uploadId, format, size, urls, invalid, version);
        LOG.info(null, "upload checked", "upload_id", uploadId, "format", format.wire(), "url_count", urls,
                "invalid_lines", invalid);
    }

    /** The first non-blank line, read from the decompressed start of the file. */
    private String firstLine(String key, String version) throws IOException {
        try (InputStream in = InputReader.decompressed(blobs.open(key, version));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            char[] buffer = new char[InputReader.MAX_LINE_CHARS];
            int read = reader.read(buffer);
            if (read <= 0) {
                return "";
            }
            for (String line : new String(buffer, 0, read).split("\\R")) {
                if (!line.isBlank()) {
                    return line;
                }
            }
            return "";
        }
    }
}
