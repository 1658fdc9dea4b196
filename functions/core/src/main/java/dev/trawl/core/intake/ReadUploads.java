package dev.trawl.core.intake;

import dev.trawl.core.port.UploadStore;
import dev.trawl.core.upload.Upload;

import java.util.Optional;

/** What a tenant may read of its uploads. */
public final class ReadUploads {
    private final UploadStore uploads;

    public ReadUploads(UploadStore uploads) {
        this.uploads = uploads;
    }

    public Optional<Upload> find(String tenant, String uploadId) {
        return uploads.find(tenant, uploadId);
    }
}
