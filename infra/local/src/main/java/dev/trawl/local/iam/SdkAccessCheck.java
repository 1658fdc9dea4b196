package dev.trawl.local.iam;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM for the calls of every SDK client in the JVM to DynamoDB, SQS, STS and KMS: the SDK loads this interceptor for
 * all its clients (the file {@code software/amazon/awssdk/global/handlers/execution.interceptors} names it). Each
 * signed request names its access key; calls made with credentials the local stack issued to a function are judged
 * against that function's policies, and refused with the service's own AccessDenied as AWS would. S3 judges its own
 * calls (S3Proxy sees every request, presigned links included). Calls with other credentials pass.
 */
public final class SdkAccessCheck implements ExecutionInterceptor {
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
    private static final Pattern QUEUE_NAME = Pattern.compile("/([^/]+)/?$");
    private static final ExecutionAttribute<SdkRequest> ASKED = new ExecutionAttribute<>("TrawlIamAsked");

    /** The call is judged as the caller made it, before any other interceptor changes it (tests reroute some). */
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(ASKED, context.request());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (service == null || service.equals("S3")) {
            return;
        }
        Identities.Identity identity = accessKey(context.httpRequest()).flatMap(Identities::find).orElse(null);
        if (identity == null || identity.principal() instanceof Principal.Administrator) {
            return;
        }
        if (identity.expired(Identities.now())) {
            throw expired(service);
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkRequest asked = attributes.getAttribute(ASKED) != null ? attributes.getAttribute(ASKED) : context.request();
        for (AccessRequest request : requests(service, operation, asked)) {
            if (!Identities.allows(identity, request)) {
                throw denied(service, Identities.denial(identity, request));
            }
        }
    }

    private static Optional<String> accessKey(SdkHttpRequest request) {
        Optional<String> header = request.firstMatchingHeader("Authorization");
        Matcher matcher = CREDENTIAL.matcher(header.orElse(""));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** What IAM is asked for this call: one request for most calls, one per item or table for batches. */
    static List<AccessRequest> requests(String service, String operation, SdkRequest request) {
        return switch (service) {
            case "DynamoDb" -> dynamoDb(operation, request);
            case "Sqs" -> List.of(new AccessRequest("sqs:" + sqsAction(operation),
                    queueArn(request.getValueForField("QueueUrl", String.class).orElse(null))));
            case "Sts" -> request instanceof AssumeRoleRequest assume
                    ? List.of(new AccessRequest("sts:AssumeRole", assume.roleArn()))
                    : operation.equals("GetCallerIdentity") ? List.of() : List.of(new AccessRequest("sts:" + operation, "*"));
            case "Kms" -> List.of(new AccessRequest("kms:" + operation,
                    request.getValueForField("KeyId", String.class).map(Arns::key).orElse("*")));
            default -> List.of(new AccessRequest(service.toLowerCase(java.util.Locale.ROOT) + ":" + operation, "*"));
        };
    }

    /** SQS authorizes its batch calls as the single ones. */
    private static String sqsAction(String operation) {
        return operation.endsWith("Batch") ? operation.substring(0, operation.length() - "Batch".length()) : operation;
    }

    private static String queueArn(String queueUrl) {
        if (queueUrl == null) {
            return "*";
        }
        Matcher matcher = QUEUE_NAME.matcher(queueUrl);
        return matcher.find() ? Arns.queue(matcher.group(1)) : "*";
    }

    private static List<AccessRequest> dynamoDb(String operation, SdkRequest request) {
        return switch (request) {
            case GetItemRequest get -> List.of(item("GetItem", get.tableName(), get.key()));
            case PutItemRequest put -> List.of(item("PutItem", put.tableName(), put.item()));
            case UpdateItemRequest update -> List.of(item("UpdateItem", update.tableName(), update.key()));
            case DeleteItemRequest delete -> List.of(item("DeleteItem", delete.tableName(), delete.key()));
            case QueryRequest query -> List.of(query(query));
            case TransactWriteItemsRequest transaction -> transaction.transactItems().stream().map(SdkAccessCheck::item).toList();
            case TransactGetItemsRequest transaction -> transaction.transactItems().stream()
                    .map(get -> item("GetItem", get.get().tableName(), get.get().key())).toList();
            case BatchWriteItemRequest batch -> batch.requestItems().entrySet().stream().map(table -> keys("BatchWriteItem",
                    table.getKey(), table.getValue().stream().map(write -> write.putRequest() != null
                            ? write.putRequest().item() : write.deleteRequest().key()).toList())).toList();
            case BatchGetItemRequest batch -> batch.requestItems().entrySet().stream()
                    .map(table -> keys("BatchGetItem", table.getKey(), table.getValue().keys())).toList();
            default -> List.of(new AccessRequest("dynamodb:" + operation,
                    request.getValueForField("TableName", String.class).map(Arns::table).orElse("*")));
        };
    }

    private static AccessRequest item(TransactWriteItem item) {
        if (item.put() != null) {
            return item("PutItem", item.put().tableName(), item.put().item());
        }
        if (item.update() != null) {
            return item("UpdateItem", item.update().tableName(), item.update().key());
        }
        if (item.delete() != null) {
            return item("DeleteItem", item.delete().tableName(), item.delete().key());
        }
        return item("ConditionCheckItem", item.conditionCheck().tableName(), item.conditionCheck().key());
    }

    private static AccessRequest item(String action, String table, Map<String, AttributeValue> key) {
        return keys(action, table, List.of(key));
    }

    private static AccessRequest keys(String action, String table, Collection<Map<String, AttributeValue>> keys) {
        String partitionKey = DynamoKeySchemas.partitionKey(table, null);
        List<String> leading = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            AttributeValue value = partitionKey == null ? null : key.get(partitionKey);
            if (value != null && value.s() != null) {
                leading.add(value.s());
            }
        }
        return new AccessRequest("dynamodb:" + action, Arns.table(table), leadingKeys(leading));
    }

    /** A query's partition: the value its key condition sets the table's (or index's) partition key to. */
    private static AccessRequest query(QueryRequest query) {
        String resource = query.indexName() == null ? Arns.table(query.tableName())
                : Arns.index(query.tableName(), query.indexName());
        String partitionKey = DynamoKeySchemas.partitionKey(query.tableName(), query.indexName());
        List<String> leading = new ArrayList<>();
        if (partitionKey != null && query.keyConditionExpression() != null) {
            Matcher matcher = Pattern.compile("([#\\w]+)\\s*=\\s*(:\\w+)").matcher(query.keyConditionExpression());
            while (matcher.find()) {
                String name = matcher.group(1).startsWith("#") && query.expressionAttributeNames() != null
                        ? query.expressionAttributeNames().get(matcher.group(1)) : matcher.group(1);
                AttributeValue value = query.expressionAttributeValues() == null ? null
                        : query.expressionAttributeValues().get(matcher.group(2));
                if (partitionKey.equals(name) && value != null && value.s() != null) {
                    leading.add(value.s());
                }
            }
        }
        return new AccessRequest("dynamodb:Query", resource, leadingKeys(leading));
    }

    private static Map<String, List<String>> leadingKeys(List<String> values) {
        return values.isEmpty() ? Map.of() : Map.of("dynamodb:LeadingKeys", List.copyOf(values));
    }

    /** What AWS answers a call signed with session credentials past their expiry. */
    private static AwsServiceException expired(String service) {
        String message = "The security token included in the request is expired";
        return service.equals("Sqs")
                ? (AwsServiceException) SqsException.builder().message(message).statusCode(403)
                        .awsErrorDetails(details(service, "ExpiredToken", 403, message)).build()
                : service.equals("DynamoDb")
                ? (AwsServiceException) DynamoDbException.builder().message(message).statusCode(400)
                        .awsErrorDetails(details(service, "ExpiredTokenException", 400, message)).build()
                : AwsServiceException.builder().message(message).statusCode(400)
                        .awsErrorDetails(details(service, "ExpiredTokenException", 400, message)).build();
    }

    /** The service's own AccessDenied, as its SDK client raises it from AWS's answer. */
    private static AwsServiceException denied(String service, String message) {
        return switch (service) {
            case "DynamoDb" -> (AwsServiceException) DynamoDbException.builder().message(message).statusCode(400)
                    .awsErrorDetails(details(service, "AccessDeniedException", 400, message)).build();
            case "Sqs" -> (AwsServiceException) SqsException.builder().message(message).statusCode(403)
                    .awsErrorDetails(details(service, "AccessDenied", 403, message)).build();
            case "Sts" -> (AwsServiceException) StsException.builder().message(message).statusCode(403)
                    .awsErrorDetails(details(service, "AccessDenied", 403, message)).build();
            default -> AwsServiceException.builder().message(message).statusCode(400)
                    .awsErrorDetails(details(service, "AccessDeniedException", 400, message)).build();
        };
    }

    private static AwsErrorDetails details(String service, String code, int status, String message) {
        return AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage(message)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
    }
}
