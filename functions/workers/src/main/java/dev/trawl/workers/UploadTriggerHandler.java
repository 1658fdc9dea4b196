package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.intake.ReceiveFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * S3 object-created notifications of the service's bucket → {@link ReceiveFile}: an upload's file is checked, a file
 * dropped into an inbox starts a job. A failure is thrown, so that Lambda's asynchronous retries try the object again.
 */
public final class UploadTriggerHandler implements RequestHandler<S3Event, String> {
    private final ReceiveFile receiveFile;

    public UploadTriggerHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private UploadTriggerHandler(AwsPorts ports) {
        this(new ReceiveFile(ports.uploads(), ports.jobs(), ports.idempotencyKeys(), ports.blobs(), ports.queue(),
                Clock.systemUTC(), ports.tenantSettings()));
    }

    public UploadTriggerHandler(ReceiveFile receiveFile) {
        this.receiveFile = receiveFile;
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        int handled = 0;
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            var object = record.getS3().getObject();
            // S3 sends keys URL-encoded, with '+' for spaces.
            String key = URLDecoder.decode(object.getKey(), StandardCharsets.UTF_8);
            long size = object.getSizeAsLong() == null ? 0 : object.getSizeAsLong();
            try {
                handled += receiveFile.receive(key, size, object.geteTag()) ? 1 : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "handled " + handled;
    }
}
