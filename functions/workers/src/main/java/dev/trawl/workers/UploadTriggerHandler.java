package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.api.JobService;
import dev.trawl.core.upload.CheckUpload;
import dev.trawl.core.util.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 object-created notifications of the service's bucket: {@code uploads/{tenant}/{id}} → {@link CheckUpload};
 * a file dropped at {@code inbox/{tenant}/…} → a job for that tenant ({@link JobService#createFromInbox}).
 * A failure is thrown, so that Lambda's asynchronous retries try the object again.
 */
public final class UploadTriggerHandler implements RequestHandler<S3Event, String> {
    private static final Log LOG = Log.of("upload-trigger");
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/([^/]+)/(upl_[0-9A-Z]{26})");
    private static final Pattern INBOX_KEY = Pattern.compile("inbox/([^/]+)/(.+)");
    private final CheckUpload checkUpload;
    private final JobService jobs;

    public UploadTriggerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private UploadTriggerHandler(AwsPorts ports) {
        this(new CheckUpload(ports.uploads(), ports.blobs()),
                new JobService(ports.jobs(), ports.uploads(), ports.blobs(), ports.queue(), Clock.systemUTC()));
    }

    public UploadTriggerHandler(CheckUpload checkUpload, JobService jobs) {
        this.checkUpload = checkUpload;
        this.jobs = jobs;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        int handled = 0;
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            // S3 sends keys URL-encoded, with '+' for spaces.
            String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
            Long size = record.getS3().getObject().getSizeAsLong();
            Matcher upload = UPLOAD_KEY.matcher(key);
            Matcher inbox = INBOX_KEY.matcher(key);
            if (inbox.matches()) {
                var job = jobs.createFromInbox(inbox.group(1), key, String.valueOf(record.getS3().getObject().geteTag()));
                LOG.info(job.id(), "job started from a file dropped into the inbox", "tenant", inbox.group(1));
                handled++;
            } else if (upload.matches()) {
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
