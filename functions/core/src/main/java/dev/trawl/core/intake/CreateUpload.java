package dev.trawl.core.intake;

import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.TooLarge;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Log;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A new upload: a signed link to PUT a file to, or a small file sent in the request itself. */
public final class CreateUpload {
    private static final Log LOG = Log.of("api");
    /** How long a signed upload link lives. */
    public static final Duration UPLOAD_LINK_TTL = Duration.ofHours(1);
    private final UploadStore uploads;
    private final BlobStore blobs;
    private final Clock clock;
    private final Ids ids;

    public CreateUpload(UploadStore uploads, BlobStore blobs, Clock clock) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** An upload waiting for its file, and the link to PUT it to. */
    public record Signed(Upload upload, URI uploadUrl, Instant expiresAt) {
    }

    /** A signed PUT link whose signature binds the file's size: S3 refuses a file of any other size. */
    public Signed createSigned(String tenant, String filename, long size) {
        Instant now = clock.instant();
        Upload upload = Upload.pending(ids.next(Ids.UPLOAD), tenant, filename, now, size);
        uploads.create(upload);
        URI link = blobs.presignPut(upload.key(), size, UPLOAD_LINK_TTL);
        LOG.info(null, "upload created", "upload_id", upload.id(), "tenant", tenant, "declared_bytes", size);
        return new Signed(upload, link, now.plus(UPLOAD_LINK_TTL));
    }

    /** A file sent in the request itself; the object-created trigger checks it like any other. */
    public Upload createDirect(String tenant, String filename, byte[] content, String contentType) {
        if (content.length == 0) {
            throw new InvalidInput(null, "The request body is empty: send the file's lines.");
        }
        if (content.length > Upload.MAX_DIRECT_BYTES) {
            throw new TooLarge("A file sent in the request may be at most 5 MiB; "
                    + "ask for a signed upload link for larger ones.");
        }
        Upload upload = Upload.pending(ids.next(Ids.UPLOAD), tenant, filename, clock.instant(), (long) content.length);
        uploads.create(upload);
        blobs.put(upload.key(), content, contentType);
        LOG.info(null, "upload stored", "upload_id", upload.id(), "tenant", tenant, "bytes", content.length);
        return upload;
    }
}
