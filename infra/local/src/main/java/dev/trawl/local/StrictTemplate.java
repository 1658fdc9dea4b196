package dev.trawl.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Refuses at start-up a template the local runtime would otherwise run differently from AWS: a property it does not
 * know at its place (a typo, a misplaced property, one it would ignore), a resource type or event type it does not
 * wire, and values AWS itself refuses or that the runtime does not implement. Every problem is named by its path in
 * the template, which starts with the resource, and says where SAM or CloudFormation documents the place.
 */
final class StrictTemplate {
    /** The HTTP methods an HttpApi route takes ({@code ANY} for all). */
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY");

    /** A template refused, with every problem found. */
    static final class Refused extends IllegalArgumentException {
        private final List<String> problems;

        Refused(List<String> problems) {
            super("the local runtime refuses this template:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }

    private final Map<String, Object> resources;
    private final UnaryOperator<Object> parameterValue;
    private final List<String> problems = new ArrayList<>();

    private StrictTemplate(Map<String, Object> resources, UnaryOperator<Object> parameterValue) {
        this.resources = resources;
        this.parameterValue = parameterValue;
    }

    /**
     * @param parameterValue the value a {@code !Ref} to a parameter stands for (other values unchanged), for the
     *                       numbers that must be in AWS's ranges
     * @throws Refused listing every problem
     */
    static void check(Map<String, Object> root, UnaryOperator<Object> parameterValue) {
        StrictTemplate check = new StrictTemplate(Template.map(root.get("Resources")), parameterValue);
        check.template(root);
        if (!check.problems.isEmpty()) {
            throw new Refused(check.problems);
        }
    }

    private void template(Map<String, Object> root) {
        known("", root, KnownProperties.TEMPLATE);
        Map<String, Object> globals = Template.map(root.get("Globals"));
        known("Globals", globals, KnownProperties.GLOBALS);
        Map<String, Object> functionGlobals = Template.map(globals.get("Function"));
        known("Globals.Function", functionGlobals, KnownProperties.FUNCTION_GLOBALS);
        known("Globals.Function.Environment", functionGlobals.get("Environment"), KnownProperties.ENVIRONMENT);
        functionLimits("Globals.Function", functionGlobals);
        resources.forEach((id, value) -> resource("Resources." + id, Template.map(value)));
    }

    private void resource(String path, Map<String, Object> resource) {
        known(path, resource, KnownProperties.RESOURCE);
        String properties = path + ".Properties";
        Map<String, Object> props = Template.map(resource.get("Properties"));
        String type = String.valueOf(resource.get("Type"));
        switch (type) {
            case "AWS::Serverless::Function" -> function(properties, props);
            case "AWS::Serverless::HttpApi" -> httpApi(properties, props);
            case "AWS::SQS::Queue" -> queue(properties, props);
            case "AWS::DynamoDB::Table" -> table(properties, props);
            case "AWS::S3::Bucket" -> known(properties, props, KnownProperties.S3_BUCKET);
            case "AWS::S3::BucketPolicy" -> known(properties, props, KnownProperties.S3_BUCKET_POLICY);
            case "AWS::KMS::Key" -> known(properties, props, KnownProperties.KMS_KEY);
            default -> problems.add(path + ": the local runtime does not wire resources of type " + type
                    + " (it wires AWS::Serverless::Function, AWS::Serverless::HttpApi, AWS::SQS::Queue, "
                    + "AWS::DynamoDB::Table, AWS::S3::Bucket, AWS::S3::BucketPolicy and AWS::KMS::Key)");
        }
    }

    private void function(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.FUNCTION);
        known(path + ".Environment", props.get("Environment"), KnownProperties.ENVIRONMENT);
        functionLimits(path, props);
        Template.map(props.get("Events")).forEach((name, value) -> event(path + ".Events." + name, Template.map(value)));
    }

    /** Lambda's ranges for a function's time-out and memory. */
    private void functionLimits(String path, Map<String, Object> props) {
        inRange(path + ".Timeout", props.get("Timeout"), 1, 900, "Lambda's time-out is 1 to 900 seconds");
        inRange(path + ".MemorySize", props.get("MemorySize"), 128, 10_240, "Lambda's memory is 128 to 10,240 MB");
    }

    private void event(String path, Map<String, Object> event) {
        known(path, event, KnownProperties.EVENT);
        String properties = path + ".Properties";
        Map<String, Object> props = Template.map(event.get("Properties"));
        String type = String.valueOf(event.get("Type"));
        switch (type) {
            case "HttpApi" -> httpApiEvent(properties, props);
            case "SQS" -> sqsEvent(properties, props);
            case "S3" -> s3Event(properties, props);
            case "Schedule" -> known(properties, props, KnownProperties.SCHEDULE_EVENT);
            default -> problems.add(path + ": the local runtime does not wire events of type " + type
                    + " (it wires HttpApi, SQS, S3 and Schedule; " + KnownProperties.EVENT.documentation() + ")");
        }
    }

    private void httpApiEvent(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.HTTP_API_EVENT);
        if (!(props.get("ApiId") instanceof Map<?, ?> ref && ref.get("Ref") instanceof String api
                && "AWS::Serverless::HttpApi".equals(Template.map(resources.get(api)).get("Type")))) {
            problems.add(path + ".ApiId: must be !Ref to an AWS::Serverless::HttpApi of the template (the local "
                    + "runtime does not make SAM's implicit API)");
        }
        String method = String.valueOf(props.get("Method")).toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            problems.add(path + ".Method: " + props.get("Method") + " is not an HTTP method API Gateway routes");
        }
        if (!(props.get("Path") instanceof String route && route.startsWith("/"))) {
            problems.add(path + ".Path: must start with /");
        }
        Object format = props.get("PayloadFormatVersion");
        if (format != null && !"2.0".equals(String.valueOf(format))) {
            problems.add(path + ".PayloadFormatVersion: the local runtime implements payload format 2.0 only");
        }
        inRange(path + ".TimeoutInMillis", props.get("TimeoutInMillis"), 50, 30_000,
                "an HTTP API integration's time-out is 50 to 30,000 ms");
    }

    private void sqsEvent(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.SQS_EVENT);
        known(path + ".ScalingConfig", props.get("ScalingConfig"), KnownProperties.SQS_SCALING);
        String queue = getAttOf(props.get("Queue"), "Arn");
        if (queue == null || !"AWS::SQS::Queue".equals(Template.map(resources.get(queue)).get("Type"))) {
            problems.add(path + ".Queue: must be !GetAtt <queue>.Arn of an AWS::SQS::Queue of the template");
        }
        // Without MaximumBatchingWindowInSeconds, which the local runtime does not take, Lambda allows at most 10.
        inRange(path + ".BatchSize", props.get("BatchSize"), 1, 10,
                "a batch is 1 to 10 messages without a batching window");
        inRange(path + ".ScalingConfig.MaximumConcurrency", Template.map(props.get("ScalingConfig")).get("MaximumConcurrency"),
                2, 1000, "an SQS event source's maximum concurrency is 2 to 1,000");
        Object types = props.get("FunctionResponseTypes");
        if (types != null && !(types instanceof List<?> list && List.of("ReportBatchItemFailures").containsAll(list))) {
            problems.add(path + ".FunctionResponseTypes: the only response type is ReportBatchItemFailures");
        }
    }

    private void s3Event(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.S3_EVENT);
        Map<String, Object> filter = Template.map(props.get("Filter"));
        known(path + ".Filter", props.get("Filter"), KnownProperties.S3_FILTER);
        Map<String, Object> key = Template.map(filter.get("S3Key"));
        known(path + ".Filter.S3Key", filter.get("S3Key"), KnownProperties.S3_KEY);
        each(path + ".Filter.S3Key.Rules", key.get("Rules"), KnownProperties.S3_RULE);
    }

    private void httpApi(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.HTTP_API);
        Map<String, Object> auth = Template.map(props.get("Auth"));
        known(path + ".Auth", props.get("Auth"), KnownProperties.HTTP_API_AUTH);
        Map<String, Object> authorizers = Template.map(auth.get("Authorizers"));
        authorizers.forEach((name, value) -> authorizer(path + ".Auth.Authorizers." + name, Template.map(value)));
        Object defaultAuthorizer = auth.get("DefaultAuthorizer");
        if (defaultAuthorizer != null && !authorizers.containsKey(String.valueOf(defaultAuthorizer))) {
            problems.add(path + ".Auth.DefaultAuthorizer: " + defaultAuthorizer + " is not one of Auth.Authorizers");
        }
    }

    private void authorizer(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.LAMBDA_AUTHORIZER);
        String function = getAttOf(props.get("FunctionArn"), "Arn");
        if (function == null || !"AWS::Serverless::Function".equals(Template.map(resources.get(function)).get("Type"))) {
            problems.add(path + ".FunctionArn: must be !GetAtt <function>.Arn of a function of the template");
        }
        if (!"2.0".equals(String.valueOf(props.get("AuthorizerPayloadFormatVersion")))) {
            problems.add(path + ".AuthorizerPayloadFormatVersion: the local runtime implements \"2.0\" only");
        }
        if (!Boolean.TRUE.equals(props.get("EnableSimpleResponses"))) {
            problems.add(path + ".EnableSimpleResponses: the local runtime implements simple responses only (true)");
        }
        Map<String, Object> identity = Template.map(props.get("Identity"));
        known(path + ".Identity", props.get("Identity"), KnownProperties.AUTHORIZER_IDENTITY);
        inRange(path + ".Identity.ReauthorizeEvery", identity.get("ReauthorizeEvery"), 0, 3600,
                "an authorizer's cache lives 0 to 3,600 seconds");
        boolean caches = number(parameterValue.apply(identity.get("ReauthorizeEvery"))) instanceof Long ttl && ttl > 0;
        boolean identified = identity.get("Headers") != null || identity.get("QueryStrings") != null;
        if (identified && identity.get("ReauthorizeEvery") == null) {
            // Without it SAM sets no cache lifetime, and API Gateway's default for an HTTP API is not documented.
            problems.add(path + ".Identity: with identity sources, set ReauthorizeEvery (0 for no cache)");
        }
        if (caches && !identified) {
            // API Gateway keys its cache by the identity sources: caching needs at least one.
            problems.add(path + ".Identity: ReauthorizeEvery above 0 caches by identity source, which needs Headers "
                    + "or QueryStrings; set ReauthorizeEvery: 0 for no caching and no identity source");
        }
    }

    private void queue(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.SQS_QUEUE);
        known(path + ".RedrivePolicy", props.get("RedrivePolicy"), KnownProperties.REDRIVE_POLICY);
        inRange(path + ".MaximumMessageSize", props.get("MaximumMessageSize"), 1024, SqsMessageLimit.SQS_MAXIMUM,
                "SQS takes 1,024 to 1,048,576 bytes");
        inRange(path + ".DelaySeconds", props.get("DelaySeconds"), 0, 900, "SQS delays 0 to 900 seconds");
        inRange(path + ".VisibilityTimeout", props.get("VisibilityTimeout"), 0, 43_200,
                "SQS's visibility time-out is 0 to 43,200 seconds");
        if (props.containsKey("ContentBasedDeduplication") && !Boolean.TRUE.equals(props.get("FifoQueue"))) {
            problems.add(path + ".ContentBasedDeduplication: only a FIFO queue deduplicates");
        }
    }

    private void table(String path, Map<String, Object> props) {
        known(path, props, KnownProperties.DYNAMODB_TABLE);
        each(path + ".KeySchema", props.get("KeySchema"), KnownProperties.KEY_SCHEMA_ELEMENT);
        each(path + ".AttributeDefinitions", props.get("AttributeDefinitions"), KnownProperties.ATTRIBUTE_DEFINITION);
        each(path + ".GlobalSecondaryIndexes", props.get("GlobalSecondaryIndexes"), KnownProperties.GLOBAL_SECONDARY_INDEX);
        if (props.get("GlobalSecondaryIndexes") instanceof List<?> indexes) {
            for (int i = 0; i < indexes.size(); i++) {
                Map<String, Object> index = Template.map(indexes.get(i));
                String at = path + ".GlobalSecondaryIndexes[" + i + "]";
                each(at + ".KeySchema", index.get("KeySchema"), KnownProperties.KEY_SCHEMA_ELEMENT);
                known(at + ".Projection", index.get("Projection"), KnownProperties.PROJECTION);
            }
        }
        known(path + ".TimeToLiveSpecification", props.get("TimeToLiveSpecification"), KnownProperties.TIME_TO_LIVE);
    }

    /** Every key of {@code value}, when it is a map of properties rather than an intrinsic function, is known. */
    private void known(String path, Object value, KnownProperties known) {
        if (!(value instanceof Map<?, ?> map) || isIntrinsic(map)) {
            return;
        }
        for (Object key : map.keySet()) {
            if (!known.knows(String.valueOf(key))) {
                problems.add((path.isEmpty() ? "" : path + ": ") + key + " is not a property of " + known.place()
                        + " that the local runtime knows (see " + known.documentation() + "; it knows "
                        + String.join(", ", known.all()) + ")");
            }
        }
    }

    private void each(String path, Object list, KnownProperties known) {
        if (list instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                known(path + "[" + i + "]", items.get(i), known);
            }
        }
    }

    private void inRange(String path, Object value, long min, long max, String rule) {
        Object number = number(parameterValue.apply(value));
        if (value == null || number == null) {
            return;
        }
        if (!(number instanceof Long n) || n < min || n > max) {
            problems.add(path + ": " + parameterValue.apply(value) + " is refused: " + rule);
        }
    }

    /** A whole number, {@code ""} for anything else that is there, or null for nothing. */
    private static Object number(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** The resource of {@code !GetAtt Resource.attribute}, or null. */
    private static String getAttOf(Object value, String attribute) {
        if (value instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2
                && attribute.equals(parts.get(1))) {
            return String.valueOf(parts.get(0));
        }
        return null;
    }

    private static boolean isIntrinsic(Map<?, ?> map) {
        return map.size() == 1 && map.keySet().iterator().next() instanceof String key
                && (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition"));
    }
}
