package dev.trawl.local.iam;

import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * S3 as one identity sees it: every object call is judged against the identity's policies before it reaches the
 * store, as S3 judges a request by the credentials that signed it (an SDK call or a presigned link alike). A denial
 * answers S3's own {@code 403 AccessDenied}.
 */
public final class AuthorizingBlobStore extends ForwardingBlobStore {
    private final Identities.Identity identity;

    public AuthorizingBlobStore(BlobStore delegate, Identities.Identity identity) {
        super(delegate);
        this.identity = identity;
    }

    private void check(String action, String resource, Map<String, List<String>> context) {
        AccessRequest request = new AccessRequest(action, resource, context);
        if (!Identities.allows(identity, request)) {
            throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED, Identities.denial(identity, request));
        }
    }

    private void object(String action, String bucket, String key) {
        if (!multipartStub(key)) {
            check(action, Arns.object(bucket, key), Map.of());
        }
    }

    /**
     * S3Proxy's own record of a multipart upload, a blob it writes at the bucket's root when the upload starts and
     * removes when it ends. The upload itself was judged (s3:PutObject on its key); S3 keeps no such object, and
     * S3Proxy refuses the name to clients, so it is no request of the identity's to judge.
     */
    private static boolean multipartStub(String key) {
        return key != null && key.startsWith(MULTIPART_STUB_PREFIX);
    }

    private static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        check("s3:ListBucket", Arns.bucket(request.bucket()),
                request.prefix() == null ? Map.of() : Map.of("s3:prefix", List.of(request.prefix())));
        return super.list(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        check("s3:ListBucket", Arns.bucket(request.bucket()), Map.of());
        return super.headBucket(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        object("s3:PutObject", request.bucket(), request.key());
        return super.putBlob(request, content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        object("s3:GetObject", request.sourceBucket(), request.sourceKey());
        object("s3:PutObject", request.destinationBucket(), request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        object("s3:GetObject", request.bucket(), request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        object("s3:GetObject", request.bucket(), request.key());
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        object("s3:DeleteObject", request.bucket(), request.key());
        return super.removeBlob(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        object("s3:PutObject", request.bucket(), request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        object("s3:PutObject", upload.containerName(), upload.blobName());
        return super.uploadMultipartPart(upload, request, content);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        object("s3:PutObject", upload.containerName(), upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        object("s3:AbortMultipartUpload", upload.containerName(), upload.blobName());
        super.abortMultipartUpload(upload);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        // S3Proxy lists an upload's parts itself to complete it, which S3 judges as s3:PutObject alone; the store
        // cannot tell that from a client's ListParts, so an identity that may write the object may list its parts too.
        if (!Identities.allows(identity, new AccessRequest("s3:PutObject", Arns.object(upload.containerName(),
                upload.blobName()), Map.of()))) {
            object("s3:ListMultipartUploadParts", upload.containerName(), upload.blobName());
        }
        return super.listMultipartUpload(upload);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String bucket) {
        check("s3:ListBucketMultipartUploads", Arns.bucket(bucket), Map.of());
        return super.listMultipartUploads(bucket);
    }

    // The forwarding base leaves these out: without them a multipart copy would skip the check, or fail.
    @Override
    public boolean supportsCopyMultipartPart() {
        return delegate().supportsCopyMultipartPart();
    }

    @Override
    public UploadPartCopyResponse copyMultipartPart(MultipartUpload upload, UploadPartCopyRequest request) {
        object("s3:GetObject", request.sourceBucket(), request.sourceKey());
        object("s3:PutObject", upload.containerName(), upload.blobName());
        return delegate().copyMultipartPart(upload, request);
    }
}
