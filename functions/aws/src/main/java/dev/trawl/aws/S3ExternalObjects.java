package dev.trawl.aws;

import dev.trawl.core.input.UnreadableInput;
import dev.trawl.core.job.JobInput;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.ObjectChanged;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Clients' buckets: read with the service's own client, or, given a role, with a client built on that role's
 * short-lived credentials (STS AssumeRole, 15 minutes, a session name that says which tenant reads).
 */
public final class S3ExternalObjects implements ExternalObjects {
    private static final int SESSION_SECONDS = 900;
    private final S3Client serviceClient;
    private final Supplier<StsClient> sts;
    private final Function<StaticCredentialsProvider, S3Client> clientForRole;

    /** @param clientForRole builds an S3 client (same HTTP client, region and endpoint) on the given credentials */
    public S3ExternalObjects(S3Client serviceClient, Supplier<StsClient> sts,
                             Function<StaticCredentialsProvider, S3Client> clientForRole) {
        this.serviceClient = serviceClient;
        this.sts = sts;
        this.clientForRole = clientForRole;
    }

    @Override
    public InputStream open(String bucket, String key, String roleArn, String tenant) throws IOException {
        return open(bucket, key, roleArn, tenant, null);
    }

    /** A GET with If-Match when pinned: S3 answers 412 when the object is another version now. */
    @Override
    public InputStream open(String bucket, String key, String roleArn, String tenant, String etag) throws IOException {
        S3Client s3 = clientFor(roleArn, tenant);
        try {
            InputStream object = s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(JobInput.quoted(etag)));
            return s3 == serviceClient ? object : new FilterInputStream(object) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        s3.close();
                    }
                }
            };
        } catch (SdkException e) {
            closeIfOwn(s3);
            if (e instanceof S3Exception s3e && s3e.statusCode() == 412) {
                throw new ObjectChanged("s3://" + bucket + "/" + key + " is not the version " + etag + " any more.");
            }
            throw unreadable(bucket, key, roleArn, e);
        }
    }

    @Override
    public String check(String bucket, String key, String roleArn, String tenant) throws IOException {
        if (roleArn != null && assumableWithoutExternalId(roleArn, tenant)) {
            throw new UnsafeRole("The role " + roleArn + " can be assumed without an external id: make its trust policy "
                    + "require sts:ExternalId = \"" + tenant + "\" (your tenant id), or anyone could have the service read "
                    + "what it reads.");
        }
        S3Client s3 = clientFor(roleArn, tenant);
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        } catch (SdkException e) {
            throw unreadable(bucket, key, roleArn, e);
        } finally {
            closeIfOwn(s3);
        }
    }

    private void closeIfOwn(S3Client s3) {
        if (s3 != serviceClient) {
            s3.close();
        }
    }

    private S3Client clientFor(String roleArn, String tenant) throws IOException {
        if (roleArn == null) {
            return serviceClient;
        }
        try {
            // The tenant is the external id: a client's role trusts the service only for that client's own tenant.
            Credentials credentials = sts.get().assumeRole(b -> b.roleArn(roleArn).roleSessionName(sessionName(tenant))
                    .externalId(tenant).durationSeconds(SESSION_SECONDS)).credentials();
            return clientForRole.apply(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())));
        } catch (SdkException e) {
            throw new IOException("The service could not assume the role " + roleArn + ": "
                    + (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName()) + ".", e);
        }
    }

    /** Whether the role lets the service in without an external id: one try, its credentials dropped at once. */
    private boolean assumableWithoutExternalId(String roleArn, String tenant) {
        try {
            sts.get().assumeRole(b -> b.roleArn(roleArn).roleSessionName(sessionName(tenant) + "-probe")
                    .durationSeconds(SESSION_SECONDS));
            return true;
        } catch (SdkException e) {
            return false; // refused (as it should be), or not assumable at all: the real attempt says which
        }
    }

    /** The role session's name: who is reading, in the client's CloudTrail. */
    static String sessionName(String tenant) {
        String name = "trawl-" + tenant.replaceAll("[^\\w+=,.@-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static IOException unreadable(String bucket, String key, String roleArn, SdkException e) {
        String where = "s3://" + bucket + "/" + key;
        if (e instanceof NoSuchKeyException || (e instanceof S3Exception s3 && s3.statusCode() == 404)) {
            return new FileNotFoundException("There is no object " + where + ".");
        }
        String who = roleArn == null ? "the service" : "the role " + roleArn;
        if (e instanceof S3Exception s3 && s3.statusCode() == 403) {
            // asking again does not help, unlike a 5xx or a broken connection, which the planner reads through
            return new UnreadableInput(who + " cannot read " + where + ": access denied.");
        }
        return new IOException(who + " cannot read " + where + ": " + e.getClass().getSimpleName() + ".", e);
    }
}
