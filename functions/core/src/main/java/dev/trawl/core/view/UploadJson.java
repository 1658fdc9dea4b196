package dev.trawl.core.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.Json;

import java.time.temporal.ChronoUnit;

/** The upload object of the contract. */
public final class UploadJson {
    private UploadJson() {
    }

    public static ObjectNode of(Upload upload) {
        ObjectNode o = Json.object();
        o.put("id", upload.id());
        o.put("status", upload.status().wire());
        o.put("filename", upload.filename());
        o.put("format", upload.format() == null ? null : upload.format().wire());
        putNumber(o, "bytes", upload.bytes());
        putNumber(o, "url_count", upload.urlCount());
        putNumber(o, "invalid_lines", upload.invalidLines());
        if (upload.error() == null) {
            o.putNull("error");
        } else {
            o.putObject("error").put("code", upload.error().code()).put("message", upload.error().message());
        }
        o.put("created_at", upload.createdAt().truncatedTo(ChronoUnit.MILLIS).toString());
        return o;
    }

    private static void putNumber(ObjectNode o, String field, Long value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }
}
