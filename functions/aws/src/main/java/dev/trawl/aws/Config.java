package dev.trawl.aws;

import dev.trawl.core.tenant.TenantLimits;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the functions, read once from environment variables. A variable that a function needs and
 * lacks, or one that is malformed, fails at start-up with its name; queues are optional here because each
 * function needs only some of them, and {@link #require} says which one is missing when asked for.
 */
public record Config(
        String region,
        String serviceAccountId,
        String tableName,
        String bucket,
        String planQueueUrl,
        String chunkQueueUrl,
        String finalizeQueueUrl,
        String webhookQueueUrl,
        String kmsKeyId,
        URI dynamoDbEndpoint,
        URI sqsEndpoint,
        URI s3Endpoint,
        URI s3PublicEndpoint,
        URI stsEndpoint,
        URI kmsEndpoint,
        Credentials credentials,
        Set<String> allowTargets,
        byte[] cursorSigningKey,
        byte[] linkSigningKey,
        URI publicApiUrl,
        int chunkSize,
        long resultSplitBytes,
        int retryAfterCapSeconds,
        int webhookRetryBaseSeconds,
        int stallAfterSeconds,
        TenantLimits tenantLimits,
        String purgeQueueUrl) {

    /** Static credentials, when the environment carries them (Lambda does; so does the local runtime). */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secret hidden]";
        }
    }

    public static Config fromEnv() {
        return fromEnv(Environment.current());
    }

    public static Config fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        Credentials credentials = null;
        if (r.optional("AWS_ACCESS_KEY_ID") != null) {
            credentials = new Credentials(r.required("AWS_ACCESS_KEY_ID"), r.required("AWS_SECRET_ACCESS_KEY"),
                    r.optional("AWS_SESSION_TOKEN"));
        }
        String cursorKey = r.secret("CURSOR_SIGNING_KEY");
        String linkKey = r.secret("LINK_SIGNING_KEY");
        return new Config(
                r.required("AWS_REGION"),
                r.optional("SERVICE_ACCOUNT_ID"),
                r.required("TABLE_NAME"),
                r.required("BUCKET_NAME"),
                r.optional("PLAN_QUEUE_URL"),
                r.optional("CHUNK_QUEUE_URL"),
                r.optional("FINALIZE_QUEUE_URL"),
                r.optional("WEBHOOK_QUEUE_URL"),
                r.optional("KMS_KEY_ID"),
                r.uri("AWS_ENDPOINT_URL_DYNAMODB"),
                r.uri("AWS_ENDPOINT_URL_SQS"),
                r.uri("AWS_ENDPOINT_URL_S3"),
                r.uri("S3_PUBLIC_ENDPOINT"),
                r.uri("AWS_ENDPOINT_URL_STS"),
                r.uri("AWS_ENDPOINT_URL_KMS"),
                credentials,
                r.list("ALLOW_TARGETS"),
                cursorKey == null ? null : cursorKey.getBytes(StandardCharsets.UTF_8),
                linkKey == null ? null : linkKey.getBytes(StandardCharsets.UTF_8),
                r.uri("PUBLIC_API_URL"),
                r.integer("CHUNK_SIZE", 100, 1, 1_000),
                // A part is a multipart upload of at most 10,000 parts of 8 MiB: 78 GiB; 64 GiB leaves room.
                r.longValue("RESULT_SPLIT_BYTES", 50L * 1024 * 1024 * 1024, 1, 64L * 1024 * 1024 * 1024),
                r.integer("FETCH_RETRY_AFTER_CAP_S", 60, 0, 900),
                r.integer("WEBHOOK_RETRY_BASE_S", 60, 1, 3_600),
                r.integer("STALL_AFTER_S", 1_800, 1, 86_400),
                // the limits of a tenant without settings of its own; the template's parameters set them
                new TenantLimits(
                        r.integer("TENANT_REQUESTS_PER_S", TenantLimits.DEFAULTS.requestsPerSecond(), 1, 1_000_000),
                        r.integer("TENANT_REQUEST_BURST", TenantLimits.DEFAULTS.burst(), 1, 1_000_000),
                        r.integer("TENANT_MAX_ACTIVE_JOBS", TenantLimits.DEFAULTS.maxActiveJobs(), 1, 1_000_000),
                        r.integer("TENANT_MAX_CONCURRENCY", TenantLimits.DEFAULTS.maxConcurrency(), 1, 1_000_000_000)),
                r.optional("PURGE_QUEUE_URL"));
    }

    /** A setting that is optional in general but needed by the caller: fails with the variable's name. */
    public static <T> T require(T value, String variable) {
        if (value == null) {
            throw new ConfigException(variable + " is not set; this function needs it");
        }
        return value;
    }

    @Override
    public String toString() {
        return "Config[region=" + region + ", table=" + tableName + ", bucket=" + bucket + "]";
    }

    private record Reader(Map<String, String> env) {
        String optional(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.strip();
        }

        /** A signing key: at least 32 characters, so that it cannot be guessed. */
        String secret(String name) {
            String value = optional(name);
            if (value != null && value.length() < 32) {
                throw new ConfigException(name + " must be at least 32 characters");
            }
            return value;
        }

        String required(String name) {
            String value = optional(name);
            if (value == null) {
                throw new ConfigException(name + " is not set");
            }
            return value;
        }

        URI uri(String name) {
            String value = optional(name);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new ConfigException(name + " must be an absolute URL, got '" + value + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigException(name + " must be an absolute URL, got '" + value + "'");
            }
        }

        Set<String> list(String name) {
            String value = optional(name);
            if (value == null) {
                return Set.of();
            }
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }

        long longValue(String name, long fallback, long min, long max) {
            String value = optional(name);
            if (value == null) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value);
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name + " must be from " + min + " to " + max + ", got " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a whole number, got '" + value + "'");
            }
        }

        int integer(String name, int fallback, int min, int max) {
            String value = optional(name);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name + " must be from " + min + " to " + max + ", got " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a whole number, got '" + value + "'");
            }
        }
    }
}
