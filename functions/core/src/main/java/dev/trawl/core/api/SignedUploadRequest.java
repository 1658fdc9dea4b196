package dev.trawl.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.upload.Upload;

import java.util.Set;
import java.util.regex.Pattern;

/** A {@code POST /v1/uploads} JSON body: the file's name and its exact size in bytes. */
record SignedUploadRequest(String filename, long size) {
    /** A file's name: no path, no control characters. */
    static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,255}");

    static SignedUploadRequest parse(String body) {
        JsonNode root = Fields.json(body == null ? "" : body);
        if (root == null || !root.isObject()) {
            throw ApiError.invalid(null, "The request body must be a JSON object with filename and size.");
        }
        Fields.onlyKnown(root, "", Set.of("filename", "size"));
        String filename = Fields.text(root.get("filename"), "filename", 255);
        if (!FILENAME.matcher(filename).matches()) {
            throw ApiError.invalid("filename", "filename must be 1 to 255 characters, without '/' or control characters.");
        }
        JsonNode size = root.get("size");
        if (size != null && size.canConvertToLong() && size.asLong() > Upload.MAX_BYTES) {
            throw new ApiError(413, "payload_too_large", "A file may be at most 1 GiB (1073741824 bytes).", "size");
        }
        return new SignedUploadRequest(filename, Fields.integer(size, "size", 1, Upload.MAX_BYTES));
    }
}
