package dev.trawl.local.iam;

import java.util.List;
import java.util.Map;

/**
 * The SAM policy templates the template uses, expanded to the actions and resources SAM documents for them
 * ({@code samtranslator/policy_templates_data/policy_templates.json} of aws/serverless-application-model). A template
 * not listed here is refused when the policies are read.
 */
final class PolicyTemplates {
    private static final List<String> DYNAMODB_READ = List.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query",
            "dynamodb:BatchGetItem", "dynamodb:DescribeTable");
    private static final List<String> DYNAMODB_CRUD = List.of("dynamodb:GetItem", "dynamodb:DeleteItem",
            "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem");
    private static final List<String> DYNAMODB_WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem");
    private static final List<String> S3_READ = List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetObjectVersion", "s3:GetLifecycleConfiguration");
    private static final List<String> S3_CRUD = List.of("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration", "s3:DeleteObject");
    private static final List<String> S3_WRITE = List.of("s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration");
    private static final List<String> SQS_POLLER = List.of("sqs:ChangeMessageVisibility",
            "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage");

    private PolicyTemplates() {
    }

    /** @param parameters the template's parameters, resolved to strings */
    static List<Statement> expand(String name, Map<String, String> parameters) {
        return switch (name) {
            case "DynamoDBReadPolicy" -> table(DYNAMODB_READ, parameters);
            case "DynamoDBCrudPolicy" -> table(DYNAMODB_CRUD, parameters);
            case "DynamoDBWritePolicy" -> table(DYNAMODB_WRITE, parameters);
            case "S3ReadPolicy" -> bucket(S3_READ, parameters);
            case "S3CrudPolicy" -> bucket(S3_CRUD, parameters);
            case "S3WritePolicy" -> bucket(S3_WRITE, parameters);
            case "SQSSendMessagePolicy" -> List.of(Statement.allow(List.of("sqs:SendMessage*"),
                    List.of(Arns.queue(required(parameters, name, "QueueName")))));
            case "SQSPollerPolicy" -> List.of(Statement.allow(SQS_POLLER,
                    List.of(Arns.queue(required(parameters, name, "QueueName")))));
            case "KMSDecryptPolicy" -> List.of(Statement.allow(List.of("kms:Decrypt"),
                    List.of(Arns.key(required(parameters, name, "KeyId")))));
            case "KMSEncryptPolicy" -> List.of(Statement.allow(List.of("kms:Encrypt"),
                    List.of(Arns.key(required(parameters, name, "KeyId")))));
            default -> throw new IllegalArgumentException("the local runtime does not know the SAM policy template "
                    + name + "; expand it in " + PolicyTemplates.class.getSimpleName() + " as SAM documents it");
        };
    }

    private static List<Statement> table(List<String> actions, Map<String, String> parameters) {
        String table = required(parameters, "a DynamoDB policy template", "TableName");
        return List.of(Statement.allow(actions, List.of(Arns.table(table), Arns.table(table) + "/index/*")));
    }

    private static List<Statement> bucket(List<String> actions, Map<String, String> parameters) {
        String bucket = required(parameters, "an S3 policy template", "BucketName");
        return List.of(Statement.allow(actions, List.of(Arns.bucket(bucket), Arns.bucket(bucket) + "/*")));
    }

    private static String required(Map<String, String> parameters, String template, String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException(template + " needs its parameter " + name);
        }
        return value;
    }
}
