package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.upload.CheckUpload;
import dev.trawl.core.util.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 object-created notifications of the service's bucket → {@link CheckUpload} for {@code uploads/{tenant}/{id}}.
 * A failure is thrown, so that Lambda's asynchronous retries try the object again.
 */
public final class UploadTriggerHandler implements RequestHandler<S3Event, String> {
    private static final Log LOG = Log.of("upload-trigger");
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/([^/]+)/(upl_[0-9A-Z]{26})");
    private final CheckUpload checkUpload;

    public UploadTriggerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private UploadTriggerHandler(AwsPorts ports) {
        this(new CheckUpload(ports.uploads(), ports.blobs()));
    }

    public UploadTriggerHandler(CheckUpload checkUpload) {
        this.checkUpload = checkUpload;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        int handled = 0;
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            // S3 sends keys URL-encoded, with '+' for spaces.
            String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
            Long size = record.getS3().getObject().getSizeAsLong();
            Matcher upload = UPLOAD_KEY.matcher(key);
            if (upload.matches()) {
                try {
                    checkUpload.check(upload.group(1), upload.group(2), size == null ? 0 : size);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                handled++;
            } else {
                LOG.warn(null, "object-created notification for a key this function does not handle", "key_prefix",
                        key.contains("/") ? key.substring(0, key.indexOf('/')) : key);
            }
        }
        return "handled " + handled;
    }
}
