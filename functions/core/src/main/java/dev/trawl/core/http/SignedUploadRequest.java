package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.TooLarge;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.JsonFields;

import java.util.Set;
import java.util.regex.Pattern;

/** A {@code POST /v1/uploads} JSON body: the file's name and its exact size in bytes. */
record SignedUploadRequest(String filename, long size) {
    /** A file's name: no path, no control characters. */
    static final Pattern FILENAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,255}");

    static SignedUploadRequest parse(String body) {
        JsonNode root = JsonFields.json(body == null ? "" : body);
        if (root == null || !root.isObject()) {
            throw new InvalidInput(null, "The request body must be a JSON object with filename and size.");
        }
        JsonFields.onlyKnown(root, "", Set.of("filename", "size"));
        String filename = JsonFields.text(root.get("filename"), "filename", 255);
        if (!FILENAME.matcher(filename).matches()) {
            throw new InvalidInput("filename", "filename must be 1 to 255 characters, without '/' or control characters.");
        }
        JsonNode size = root.get("size");
        if (size != null && size.canConvertToLong() && size.asLong() > Upload.MAX_BYTES) {
            throw new TooLarge("A file may be at most 1 GiB (1073741824 bytes).", "size");
        }
        return new SignedUploadRequest(filename, JsonFields.integer(size, "size", 1, Upload.MAX_BYTES));
    }
}
