package dev.trawl.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;

/**
 * The SDK clients of one container, built once from {@link Config}: region and endpoints from config,
 * the HTTP client chosen explicitly (several are on the local classpath).
 */
public final class AwsClients implements AutoCloseable {
    private final Config config;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner presigner;
    private StsClient sts;
    private KmsClient kms;

    public AwsClients(Config config) {
        this.config = config;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        this.credentials = credentialsOf(config.credentials());
    }

    public Config config() {
        return config;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            var builder = DynamoDbClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(config.region()));
            if (config.dynamoDbEndpoint() != null) {
                builder.endpointOverride(config.dynamoDbEndpoint());
            }
            dynamoDb = builder.build();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            var builder = SqsClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(config.region()));
            if (config.sqsEndpoint() != null) {
                builder.endpointOverride(config.sqsEndpoint());
            }
            sqs = builder.build();
        }
        return sqs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = s3With(credentials);
        }
        return s3;
    }

    /** An S3 client like the service's, on other credentials (a client's role); the caller closes it. */
    public S3Client s3With(AwsCredentialsProvider provider) {
        var builder = S3Client.builder().httpClient(http).credentialsProvider(provider).region(Region.of(config.region()));
        if (config.s3Endpoint() != null) {
            // Emulators answer on one host: path-style addressing, and checksums only where S3 requires them.
            builder.endpointOverride(config.s3Endpoint()).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    public synchronized StsClient sts() {
        if (sts == null) {
            var builder = StsClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(config.region()));
            if (config.stsEndpoint() != null) {
                builder.endpointOverride(config.stsEndpoint());
            }
            sts = builder.build();
        }
        return sts;
    }

    public synchronized KmsClient kms() {
        if (kms == null) {
            var builder = KmsClient.builder().httpClient(http).credentialsProvider(credentials)
                    .region(Region.of(config.region()));
            if (config.kmsEndpoint() != null) {
                builder.endpointOverride(config.kmsEndpoint());
            }
            kms = builder.build();
        }
        return kms;
    }

    /** Signs links for the endpoint clients reach: {@code S3_PUBLIC_ENDPOINT} when set, else the S3 endpoint. */
    public synchronized S3Presigner presigner() {
        if (presigner == null) {
            var builder = S3Presigner.builder().credentialsProvider(credentials).region(Region.of(config.region()));
            java.net.URI endpoint = config.s3PublicEndpoint() != null ? config.s3PublicEndpoint() : config.s3Endpoint();
            if (endpoint != null) {
                builder.endpointOverride(endpoint)
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            presigner = builder.build();
        }
        return presigner;
    }

    private static AwsCredentialsProvider credentialsOf(Config.Credentials c) {
        if (c == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(c.sessionToken() == null
                ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }

    @Override
    public synchronized void close() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (presigner != null) {
            presigner.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (kms != null) {
            kms.close();
        }
        http.close();
    }
}
