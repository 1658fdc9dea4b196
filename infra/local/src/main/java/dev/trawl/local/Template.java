package dev.trawl.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What the local runtime needs of {@code template.yaml}: functions with their events, queues, the table, the bucket.
 * A template is first checked by {@link StrictTemplate}, so that nothing in it is silently ignored.
 */
record Template(
        Map<String, Object> parameters,
        Map<String, FunctionDef> functions,
        Map<String, QueueDef> queues,
        Map<String, TableDef> tables,
        Map<String, Map<String, Object>> buckets,
        Set<String> keys,
        Map<String, AuthorizerDef> apiAuthorizers) {

    /** A Lambda function, its environment unresolved (intrinsics kept). */
    record FunctionDef(String logicalId, String handler, int timeoutSeconds, int memoryMb,
                       Map<String, Object> environment, List<Route> routes, List<SqsSource> sqsSources,
                       List<Object> schedules, List<S3Source> s3Sources) {
        String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }
    }

    /**
     * An HttpApi event: {@code method} is upper case or {@code ANY}; {@code apiId} names the HttpApi resource;
     * {@code timeoutMillis} is how long API Gateway waits for the function (its {@code TimeoutInMillis}).
     */
    record Route(String apiId, String method, String path, int timeoutMillis) {
        String routeKey() {
            return method + " " + path;
        }
    }

    /** An S3 event: object-created notifications of a bucket, narrowed by key prefix and suffix. */
    record S3Source(String bucketLogicalId, List<String> events, String prefix, String suffix) {
        boolean matches(String eventName, String key) {
            boolean event = events.stream().anyMatch(e -> {
                String wanted = e.startsWith("s3:") ? e.substring(3) : e;
                return wanted.endsWith("*") ? eventName.startsWith(wanted.substring(0, wanted.length() - 1)) : wanted.equals(eventName);
            });
            return event && (prefix == null || key.startsWith(prefix)) && (suffix == null || key.endsWith(suffix));
        }
    }

    record SqsSource(String queueLogicalId, int batchSize, boolean reportBatchItemFailures, int maximumConcurrency) {
    }

    /**
     * An HttpApi's Lambda authorizer (payload 2.0, simple responses), as SAM takes it: its identity sources are
     * {@code Identity.Headers} and {@code Identity.QueryStrings}, its cache lives {@code Identity.ReauthorizeEvery}
     * seconds (0: no cache).
     */
    record AuthorizerDef(String functionLogicalId, List<String> identityHeaders, List<String> identityQueryStrings,
                         int cacheSeconds) {
        boolean hasIdentitySources() {
            return !identityHeaders.isEmpty() || !identityQueryStrings.isEmpty();
        }
    }

    record QueueDef(String logicalId, boolean fifo, int visibilityTimeoutSeconds, String deadLetterQueue,
                    int maxReceiveCount, int maximumMessageSize, int delaySeconds, Map<String, Object> properties) {
    }

    /** A table; {@code attributeTypes} maps each declared attribute to S, N or B; {@code ttlAttribute} is null without TTL. */
    record TableDef(String logicalId, String hashKey, String rangeKey, Map<String, String> attributeTypes,
                    String ttlAttribute, List<IndexDef> indexes) {
    }

    /** A global secondary index; {@code included} lists the non-key attributes of an INCLUDE projection. */
    record IndexDef(String name, String hashKey, String rangeKey, String projection, List<String> included) {
    }

    /** Lambda's defaults, for a function and Globals without them. */
    static final int LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
    static final int LAMBDA_DEFAULT_MEMORY_MB = 128;
    /** API Gateway's integration time-out for an HTTP API route without {@code TimeoutInMillis}: its longest, 30 s. */
    static final int HTTP_API_INTEGRATION_TIMEOUT_MILLIS = 30_000;

    static Template read(Path file) throws IOException {
        return parse(Files.readString(file), Map.of());
    }

    /** @param overrides parameter values that replace the template's defaults where a number is a {@code !Ref} */
    static Template read(Path file, Map<String, String> overrides) throws IOException {
        return parse(Files.readString(file), overrides);
    }

    /** @throws StrictTemplate.Refused when the local runtime would not run the template as AWS would */
    static Template parse(String text, Map<String, String> overrides) {
        Map<String, Object> root = CloudFormationYaml.load(text);
        Map<String, Object> parameters = map(root.get("Parameters"));
        UnaryOperator<Object> ref = value -> {
            if (!(map(value).get("Ref") instanceof String name) || !parameters.containsKey(name)) {
                return value;
            }
            Object resolved = overrides.containsKey(name) ? overrides.get(name) : map(parameters.get(name)).get("Default");
            if (resolved == null) {
                throw new IllegalArgumentException("template parameter " + name + " has no value and no Default");
            }
            return resolved;
        };
        StrictTemplate.check(root, ref);
        Map<String, Object> resources = map(root.get("Resources"));
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, FunctionDef> functions = new LinkedHashMap<>();
        Map<String, QueueDef> queues = new LinkedHashMap<>();
        Map<String, TableDef> tables = new LinkedHashMap<>();
        Map<String, Map<String, Object>> buckets = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        Map<String, AuthorizerDef> authorizers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            String id = entry.getKey();
            Map<String, Object> resource = map(entry.getValue());
            Map<String, Object> props = map(resource.get("Properties"));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Serverless::Function" -> functions.put(id, function(id, props, globals, ref));
                case "AWS::SQS::Queue" -> queues.put(id, queue(id, props, ref));
                case "AWS::DynamoDB::Table" -> tables.put(id, table(id, props));
                case "AWS::S3::Bucket" -> buckets.put(id, props);
                case "AWS::KMS::Key" -> keys.add(id);
                case "AWS::Serverless::HttpApi" -> {
                    Map<String, Object> auth = map(props.get("Auth"));
                    String defaultAuthorizer = (String) auth.get("DefaultAuthorizer");
                    if (defaultAuthorizer != null) {
                        authorizers.put(id, authorizer(map(map(auth.get("Authorizers")).get(defaultAuthorizer)), ref));
                    }
                }
                // Known to StrictTemplate, nothing to wire: the local S3 judges requests by IAM alone.
                case "AWS::S3::BucketPolicy" -> { }
                // StrictTemplate refused every other type.
                default -> throw new IllegalStateException("unchecked resource type of " + id);
            }
        }
        return new Template(map(root.get("Parameters")), functions, queues, tables, buckets, keys, authorizers);
    }

    @SuppressWarnings("unchecked")
    private static AuthorizerDef authorizer(Map<String, Object> props, UnaryOperator<Object> ref) {
        List<String> getAtt = (List<String>) map(props.get("FunctionArn")).get("Fn::GetAtt");
        Map<String, Object> identity = map(props.get("Identity"));
        return new AuthorizerDef(getAtt.getFirst(),
                (List<String>) identity.getOrDefault("Headers", List.of()),
                (List<String>) identity.getOrDefault("QueryStrings", List.of()),
                number(ref.apply(identity.get("ReauthorizeEvery")), 0));
    }

    private static FunctionDef function(String id, Map<String, Object> props, Map<String, Object> globals,
                                        UnaryOperator<Object> ref) {
        Map<String, Object> environment = new LinkedHashMap<>(map(map(globals.get("Environment")).get("Variables")));
        environment.putAll(map(map(props.get("Environment")).get("Variables")));
        List<Route> routes = new ArrayList<>();
        List<SqsSource> sqs = new ArrayList<>();
        List<Object> schedules = new ArrayList<>();
        List<S3Source> s3 = new ArrayList<>();
        for (Object value : map(props.get("Events")).values()) {
            Map<String, Object> event = map(value);
            Map<String, Object> eventProps = map(event.get("Properties"));
            switch (String.valueOf(event.get("Type"))) {
                case "HttpApi" -> routes.add(new Route(refOf(eventProps.get("ApiId")),
                        String.valueOf(eventProps.get("Method")).toUpperCase(Locale.ROOT),
                        String.valueOf(eventProps.get("Path")),
                        number(ref.apply(eventProps.get("TimeoutInMillis")), HTTP_API_INTEGRATION_TIMEOUT_MILLIS)));
                case "SQS" -> {
                    @SuppressWarnings("unchecked")
                    List<String> arn = (List<String>) map(eventProps.get("Queue")).get("Fn::GetAtt");
                    Object types = eventProps.get("FunctionResponseTypes");
                    boolean partial = types instanceof List<?> list && list.contains("ReportBatchItemFailures");
                    int maxConcurrency = number(ref.apply(map(eventProps.get("ScalingConfig")).get("MaximumConcurrency")), 5);
                    sqs.add(new SqsSource(arn.getFirst(), number(ref.apply(eventProps.get("BatchSize")), 10), partial,
                            maxConcurrency));
                }
                case "Schedule" -> schedules.add(eventProps.get("Schedule"));
                case "S3" -> s3.add(s3Source(eventProps));
                default -> { }
            }
        }
        return new FunctionDef(id, String.valueOf(props.getOrDefault("Handler", globals.get("Handler"))),
                number(ref.apply(props.getOrDefault("Timeout", globals.get("Timeout"))), LAMBDA_DEFAULT_TIMEOUT_SECONDS),
                number(ref.apply(props.getOrDefault("MemorySize", globals.get("MemorySize"))), LAMBDA_DEFAULT_MEMORY_MB),
                environment, routes, sqs, schedules, s3);
    }

    @SuppressWarnings("unchecked")
    private static S3Source s3Source(Map<String, Object> props) {
        Object events = props.get("Events");
        List<String> names = events instanceof List<?> list ? (List<String>) list : List.of(String.valueOf(events));
        String prefix = null;
        String suffix = null;
        for (Object rule : (List<Object>) map(map(props.get("Filter")).get("S3Key")).getOrDefault("Rules", List.of())) {
            Map<String, Object> r = map(rule);
            if ("prefix".equalsIgnoreCase(String.valueOf(r.get("Name")))) {
                prefix = String.valueOf(r.get("Value"));
            } else if ("suffix".equalsIgnoreCase(String.valueOf(r.get("Name")))) {
                suffix = String.valueOf(r.get("Value"));
            }
        }
        return new S3Source(refOf(props.get("Bucket")), names, prefix, suffix);
    }

    @SuppressWarnings("unchecked")
    private static QueueDef queue(String id, Map<String, Object> props, UnaryOperator<Object> ref) {
        Map<String, Object> redrive = map(props.get("RedrivePolicy"));
        String deadLetter = null;
        if (redrive.get("deadLetterTargetArn") instanceof Map<?, ?> arn) {
            deadLetter = ((List<String>) arn.get("Fn::GetAtt")).getFirst();
        }
        return new QueueDef(id, Boolean.TRUE.equals(props.get("FifoQueue")),
                number(ref.apply(props.get("VisibilityTimeout")), 30), deadLetter,
                number(ref.apply(redrive.get("maxReceiveCount")), 0),
                number(ref.apply(props.get("MaximumMessageSize")), SqsMessageLimit.SQS_MAXIMUM),
                number(ref.apply(props.get("DelaySeconds")), 0), props);
    }

    @SuppressWarnings("unchecked")
    private static TableDef table(String id, Map<String, Object> props) {
        String[] keys = keys((List<Object>) props.get("KeySchema"));
        List<IndexDef> indexes = new ArrayList<>();
        for (Object value : (List<Object>) props.getOrDefault("GlobalSecondaryIndexes", List.of())) {
            Map<String, Object> index = map(value);
            String[] indexKeys = keys((List<Object>) index.get("KeySchema"));
            Map<String, Object> projection = map(index.get("Projection"));
            indexes.add(new IndexDef((String) index.get("IndexName"), indexKeys[0], indexKeys[1],
                    (String) projection.getOrDefault("ProjectionType", "ALL"),
                    (List<String>) projection.getOrDefault("NonKeyAttributes", List.of())));
        }
        Map<String, String> attributeTypes = new LinkedHashMap<>();
        for (Object value : (List<Object>) props.getOrDefault("AttributeDefinitions", List.of())) {
            Map<String, Object> attribute = map(value);
            attributeTypes.put((String) attribute.get("AttributeName"), (String) attribute.get("AttributeType"));
        }
        Map<String, Object> ttl = map(props.get("TimeToLiveSpecification"));
        String ttlAttribute = Boolean.FALSE.equals(ttl.get("Enabled")) ? null : (String) ttl.get("AttributeName");
        return new TableDef(id, keys[0], keys[1], attributeTypes, ttlAttribute, indexes);
    }

    /** The HASH and RANGE attribute names of a key schema. */
    private static String[] keys(List<Object> schema) {
        String[] keys = new String[2];
        for (Object key : schema) {
            Map<String, Object> k = map(key);
            keys["HASH".equals(k.get("KeyType")) ? 0 : 1] = (String) k.get("AttributeName");
        }
        return keys;
    }

    private static String refOf(Object value) {
        return value instanceof Map<?, ?> ref ? String.valueOf(ref.get("Ref")) : String.valueOf(value);
    }

    private static int number(Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
