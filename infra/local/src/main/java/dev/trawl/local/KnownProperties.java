package dev.trawl.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties the local runtime knows at one place of a template: those it honours, and those it accepts knowing
 * that it does not emulate them, each with the reason. {@link StrictTemplate} refuses any other, so that a typo, a
 * misplaced property or one the runtime would silently ignore stops {@code trawl serve} instead of changing behaviour.
 *
 * @param place         what the properties belong to, for messages ("an HttpApi Lambda authorizer")
 * @param documentation where SAM or CloudFormation documents the properties of that place
 */
record KnownProperties(String place, String documentation, Set<String> honoured, Map<String, String> accepted) {
    private static final String SAM = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/";
    private static final String CFN = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/";

    KnownProperties {
        honoured = Set.copyOf(honoured);
        accepted = Map.copyOf(accepted);
    }

    static KnownProperties of(String place, String documentation, String... honoured) {
        return new KnownProperties(place, documentation, Set.of(honoured), Map.of());
    }

    /** The same, also accepting {@code properties} that the local runtime does not emulate, for the reason given. */
    KnownProperties accepting(String why, String... properties) {
        Map<String, String> more = new LinkedHashMap<>(accepted);
        for (String property : properties) {
            more.put(property, why);
        }
        return new KnownProperties(place, documentation, honoured, more);
    }

    boolean knows(String property) {
        return honoured.contains(property) || accepted.containsKey(property);
    }

    /** Every known property, sorted, for a refusal's message. */
    List<String> all() {
        Set<String> all = new TreeSet<>(honoured);
        all.addAll(accepted.keySet());
        return List.copyOf(all);
    }

    // Why accepted properties are not emulated, shared by several places.
    private static final String DEPLOYMENT = "how AWS deploys or bills it; nothing a function sees changes";
    private static final String SECURITY = "encryption and access control at rest; the emulators keep data in memory";
    private static final String IAM = "IAM the local runtime does not model (it enforces a function's Policies only)";

    static final KnownProperties TEMPLATE = of("a template",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html",
            "AWSTemplateFormatVersion", "Transform", "Parameters", "Globals", "Resources")
            .accepting("text and values for people and other stacks", "Description", "Metadata", "Outputs");

    static final KnownProperties RESOURCE = of("a resource", CFN + "aws-product-attribute-reference.html",
            "Type", "Properties")
            .accepting("deployment order and deletion; every resource exists locally from the start", "DependsOn",
                    "DeletionPolicy", "UpdateReplacePolicy")
            .accepting("text and values for tools", "Metadata");

    static final KnownProperties GLOBALS = of("Globals", SAM + "sam-specification-template-anatomy-globals.html",
            "Function");

    static final KnownProperties FUNCTION = of("an AWS::Serverless::Function", SAM + "sam-resource-function.html",
            "Handler", "Timeout", "MemorySize", "Environment", "Events", "Policies")
            .accepting("the local runtime runs the handler class from the classpath, on this JVM", "Runtime",
                    "Architectures", "CodeUri")
            .accepting(IAM, "Role", "RolePath", "PermissionsBoundary")
            .accepting(DEPLOYMENT, "Description", "Tags", "PropagateTags", "Tracing", "LoggingConfig",
                    "RuntimeManagementConfig", "SnapStart")
            .accepting(SECURITY, "KmsKeyArn")
            .accepting("/tmp is this machine's temporary directory", "EphemeralStorage");

    /** What {@code Globals.Function} may set: SAM takes fewer properties there than on a function. */
    static final KnownProperties FUNCTION_GLOBALS = new KnownProperties("Globals.Function",
            SAM + "sam-specification-template-anatomy-globals.html",
            Set.of("Handler", "Timeout", "MemorySize", "Environment"),
            without(FUNCTION.accepted(), "Role"));

    static final KnownProperties ENVIRONMENT = of("a function's Environment",
            CFN + "aws-properties-lambda-function-environment.html", "Variables");

    static final KnownProperties EVENT = of("a function's event source", SAM + "sam-property-function-eventsource.html",
            "Type", "Properties");

    static final KnownProperties HTTP_API_EVENT = of("an HttpApi event", SAM + "sam-property-function-httpapi.html",
            "ApiId", "Path", "Method", "PayloadFormatVersion", "TimeoutInMillis");

    static final KnownProperties SQS_EVENT = of("an SQS event", SAM + "sam-property-function-sqs.html",
            "Queue", "BatchSize", "FunctionResponseTypes", "ScalingConfig")
            .accepting(SECURITY, "KmsKeyArn")
            .accepting(DEPLOYMENT, "MetricsConfig");

    static final KnownProperties SQS_SCALING = of("an SQS event's ScalingConfig",
            CFN + "aws-properties-lambda-eventsourcemapping-scalingconfig.html", "MaximumConcurrency");

    static final KnownProperties S3_EVENT = of("an S3 event", SAM + "sam-property-function-s3.html",
            "Bucket", "Events", "Filter");

    static final KnownProperties S3_FILTER = of("an S3 event's Filter",
            CFN + "aws-properties-s3-bucket-notificationfilter.html", "S3Key");

    static final KnownProperties S3_KEY = of("an S3 event's Filter.S3Key",
            CFN + "aws-properties-s3-bucket-s3keyfilter.html", "Rules");

    static final KnownProperties S3_RULE = of("an S3 key filter rule", CFN + "aws-properties-s3-bucket-filterrule.html",
            "Name", "Value");

    static final KnownProperties SCHEDULE_EVENT = of("a Schedule event", SAM + "sam-property-function-schedule.html",
            "Schedule")
            .accepting("names the EventBridge rule", "Name", "Description");

    static final KnownProperties HTTP_API = of("an AWS::Serverless::HttpApi", SAM + "sam-resource-httpapi.html", "Auth")
            .accepting(DEPLOYMENT, "Name", "Description", "Tags", "PropagateTags", "AccessLogSettings", "FailOnWarnings");

    static final KnownProperties HTTP_API_AUTH = of("an HttpApi's Auth", SAM + "sam-property-httpapi-httpapiauth.html",
            "Authorizers", "DefaultAuthorizer");

    static final KnownProperties LAMBDA_AUTHORIZER = of("an HttpApi Lambda authorizer",
            SAM + "sam-property-httpapi-lambdaauthorizer.html",
            "FunctionArn", "AuthorizerPayloadFormatVersion", "EnableSimpleResponses", "Identity")
            .accepting(IAM, "EnableFunctionDefaultPermissions", "FunctionInvokeRole");

    static final KnownProperties AUTHORIZER_IDENTITY = of("an HttpApi Lambda authorizer's Identity",
            SAM + "sam-property-httpapi-lambdaauthorizationidentity.html", "Headers", "QueryStrings", "ReauthorizeEvery");

    static final KnownProperties SQS_QUEUE = of("an AWS::SQS::Queue", CFN + "aws-resource-sqs-queue.html",
            "FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout", "RedrivePolicy", "MaximumMessageSize",
            "DelaySeconds")
            .accepting("messages are not expired locally", "MessageRetentionPeriod")
            .accepting("throughput settings; ElasticMQ deduplicates over the whole queue, which is stricter than per "
                    + "message group", "DeduplicationScope", "FifoThroughputLimit")
            .accepting("the local pollers long-poll anyway", "ReceiveMessageWaitTimeSeconds")
            .accepting(IAM, "RedriveAllowPolicy")
            .accepting(SECURITY, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled")
            .accepting(DEPLOYMENT, "Tags");

    static final KnownProperties REDRIVE_POLICY = of("a queue's RedrivePolicy",
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
            "deadLetterTargetArn", "maxReceiveCount");

    static final KnownProperties DYNAMODB_TABLE = of("an AWS::DynamoDB::Table", CFN + "aws-resource-dynamodb-table.html",
            "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "TimeToLiveSpecification")
            .accepting("DynamoDB Local has no capacity to bill", "BillingMode", "ProvisionedThroughput", "TableClass")
            .accepting("backups and deletion protection", "PointInTimeRecoverySpecification", "DeletionProtectionEnabled")
            .accepting(SECURITY, "SSESpecification")
            .accepting(DEPLOYMENT, "Tags", "ContributorInsightsSpecification");

    static final KnownProperties KEY_SCHEMA_ELEMENT = of("a key schema element",
            CFN + "aws-properties-dynamodb-table-keyschema.html", "AttributeName", "KeyType");

    static final KnownProperties ATTRIBUTE_DEFINITION = of("an attribute definition",
            CFN + "aws-properties-dynamodb-table-attributedefinition.html", "AttributeName", "AttributeType");

    static final KnownProperties GLOBAL_SECONDARY_INDEX = of("a global secondary index",
            CFN + "aws-properties-dynamodb-table-globalsecondaryindex.html", "IndexName", "KeySchema", "Projection")
            .accepting("DynamoDB Local has no capacity to bill", "ProvisionedThroughput")
            .accepting(DEPLOYMENT, "ContributorInsightsSpecification");

    static final KnownProperties PROJECTION = of("an index's Projection",
            CFN + "aws-properties-dynamodb-table-projection.html", "ProjectionType", "NonKeyAttributes");

    static final KnownProperties TIME_TO_LIVE = of("a table's TimeToLiveSpecification",
            CFN + "aws-properties-dynamodb-table-timetolivespecification.html", "AttributeName", "Enabled");

    static final KnownProperties S3_BUCKET = of("an AWS::S3::Bucket", CFN + "aws-resource-s3-bucket.html", "BucketName")
            .accepting("S3Proxy keeps objects until the stack stops; nothing expires locally", "LifecycleConfiguration")
            .accepting(SECURITY, "BucketEncryption", "PublicAccessBlockConfiguration", "OwnershipControls")
            .accepting(DEPLOYMENT, "Tags", "LoggingConfiguration");

    static final KnownProperties S3_BUCKET_POLICY = of("an AWS::S3::BucketPolicy",
            CFN + "aws-resource-s3-bucketpolicy.html", "Bucket")
            .accepting("the local S3 is reached over plain HTTP inside this machine, and its IAM judges identities only; "
                    + "the policy holds on AWS", "PolicyDocument");

    /** A symmetric encryption key, the only kind the local KMS makes: KeySpec and KeyUsage are refused, not ignored. */
    static final KnownProperties KMS_KEY = of("an AWS::KMS::Key", CFN + "aws-resource-kms-key.html")
            .accepting("the key policy; the local runtime enforces the functions' Policies, which the key policy "
                    + "defers to", "KeyPolicy")
            .accepting("local keys live as long as the stack and never rotate", "EnableKeyRotation",
                    "PendingWindowInDays", "Enabled")
            .accepting(DEPLOYMENT, "Description", "Tags");

    private static Map<String, String> without(Map<String, String> accepted, String... properties) {
        Map<String, String> rest = new LinkedHashMap<>(accepted);
        for (String property : properties) {
            rest.remove(property);
        }
        return rest;
    }
}
