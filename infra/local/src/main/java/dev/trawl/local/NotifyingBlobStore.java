package dev.trawl.local;

import dev.trawl.local.Backend.ObjectCreated;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.util.function.Consumer;

/**
 * S3Proxy's store, raising the {@code ObjectCreated} notifications S3 would send after every successful write:
 * a plain put, a copy, and a completed multipart upload, whichever client wrote it (SDK, signed link, curl).
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    private final Consumer<ObjectCreated> listener;

    NotifyingBlobStore(BlobStore delegate, Consumer<ObjectCreated> listener) {
        super(delegate);
        this.listener = listener;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        notify("ObjectCreated:Put", request.bucket(), request.key(), response.eTag());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        notify("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey(),
                response.copyObjectResult() == null ? null : response.copyObjectResult().eTag());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        notify("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key(), response.eTag());
        return response;
    }

    private void notify(String eventName, String bucket, String key, String etag) {
        long size = 0;
        try {
            HeadObjectResponse head = blobMetadata(software.amazon.awssdk.services.s3.model.HeadObjectRequest.builder()
                    .bucket(bucket).key(key).build());
            size = head == null || head.contentLength() == null ? 0 : head.contentLength();
        } catch (RuntimeException e) {
            // the size is informative only
        }
        listener.accept(new ObjectCreated(eventName, bucket, key, size, etag));
    }
}
