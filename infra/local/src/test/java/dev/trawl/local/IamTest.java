package dev.trawl.local;

import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import dev.trawl.aws.DynamoJobStore;
import dev.trawl.aws.DynamoTable;
import dev.trawl.aws.KmsSecrets;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each function's AWS calls are held to the policies template.yaml gives it, on the local stack as on AWS: what a
 * function may not do fails with the service's own AccessDenied, naming the function's role, the action and the
 * resource, and is logged with the function's name.
 */
@ExtendWith(LocalStackExtension.class)
class IamTest {
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void captureLogs() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogs() {
        Log.redirect(System.out);
    }

    /** Clients as the function builds them, with its environment (its own credentials among it). */
    private static <T> T asFunction(LocalRuntime runtime, String function, Function<AwsClients, T> use) {
        try (AwsClients clients = new AwsClients(Config.fromEnv(runtime.environmentOf(function)))) {
            return use.apply(clients);
        }
    }

    @Test
    void aFunctionWritingWhatItMayOnlyReadIsRefusedAsDynamoDbRefusesIt(LocalRuntime runtime) {
        String table = runtime.resource("Table");
        DynamoDbException denied = assertThrows(DynamoDbException.class, () -> asFunction(runtime, "AuthorizerFunction",
                clients -> clients.dynamoDb().putItem(b -> b.tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS("K#forged"), "sk", AttributeValue.fromS("K"),
                                "tenant", AttributeValue.fromS("acme"))))));

        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertEquals(400, denied.statusCode());
        assertTrue(denied.getMessage().contains("assumed-role/trawl-local-AuthorizerFunctionRole/AuthorizerFunction"),
                denied.getMessage());
        assertTrue(denied.getMessage().contains("dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/"
                + table), denied.getMessage());
        assertDenialLogged("AuthorizerFunction", "dynamodb:PutItem");
    }

    @Test
    void aFunctionSendingToAQueueItWasNotGivenIsRefusedAsSqsRefusesIt(LocalRuntime runtime) {
        String finalizeQueue = runtime.resource("FinalizeQueue");
        SqsException denied = assertThrows(SqsException.class, () -> asFunction(runtime, "ApiFunction",
                clients -> clients.sqs().sendMessage(b -> b.queueUrl(finalizeQueue).messageBody("{}"))));

        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("sqs:SendMessage on resource: arn:aws:sqs:us-east-1:000000000000:FinalizeQueue"),
                denied.getMessage());
        assertDenialLogged("ApiFunction", "sqs:SendMessage");
        // what the template grants goes through (a plan request for no job, which the planner drops)
        String planQueue = runtime.resource("PlanQueue");
        asFunction(runtime, "ApiFunction", clients -> clients.sqs().sendMessage(b -> b.queueUrl(planQueue)
                .messageBody("{\"tenant\": \"iam-test\", \"job_id\": \"job_00000000000000000000000000\"}")));
    }

    @Test
    void aConsumerMayChangeTheVisibilityOfItsOwnQueuesMessagesOnly(LocalRuntime runtime) {
        String finalizeQueue = runtime.resource("FinalizeQueue");
        SqsException denied = assertThrows(SqsException.class, () -> asFunction(runtime, "WorkerFunction",
                clients -> clients.sqs().changeMessageVisibility(b -> b.queueUrl(finalizeQueue)
                        .receiptHandle("not-a-receipt").visibilityTimeout(2))));
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("sqs:ChangeMessageVisibility on resource: "
                + "arn:aws:sqs:us-east-1:000000000000:FinalizeQueue"), denied.getMessage());
        assertDenialLogged("WorkerFunction", "sqs:ChangeMessageVisibility");
        // on its own queue IAM lets the call through: SQS itself then judges the receipt handle
        String chunkQueue = runtime.resource("ChunkQueue");
        SqsException judged = assertThrows(SqsException.class, () -> asFunction(runtime, "WorkerFunction",
                clients -> clients.sqs().changeMessageVisibility(b -> b.queueUrl(chunkQueue)
                        .receiptHandle("not-a-receipt").visibilityTimeout(2))));
        assertFalse("AccessDenied".equals(judged.awsErrorDetails().errorCode()), judged.getMessage());
    }

    @Test
    void s3JudgesTheIdentityThatSignedACallOrALink(LocalRuntime runtime) throws Exception {
        String bucket = runtime.resource("Bucket");
        String key = "results/acme/job_IAMTEST/result-00001.ndjson";
        runtime.clients().s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}\n"));

        S3Exception denied = assertThrows(S3Exception.class, () -> asFunction(runtime, "ReaperFunction",
                clients -> clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key))));
        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertDenialLogged("ReaperFunction", "s3:GetObject");

        URI byReaper = asFunction(runtime, "ReaperFunction", clients -> URI.create(clients.presigner()
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString()));
        URI byApi = asFunction(runtime, "ApiFunction", clients -> URI.create(clients.presigner()
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString()));
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(403, http.send(HttpRequest.newBuilder(byReaper).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "a link signed by a function that may not read the object is refused");
            assertEquals(200, http.send(HttpRequest.newBuilder(byApi).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "the API function, which hands out result links, may read results");
        }
    }

    /**
     * The finalizer may write under {@code results/} only, and writes a result larger than a part as a multipart
     * upload: S3Proxy's own record of the upload, a blob at the bucket's root, is not the identity's write.
     */
    @Test
    void aMultipartUploadUnderTheFunctionsPrefixIsAllowedAndElsewhereRefused(LocalRuntime runtime) {
        String bucket = runtime.resource("Bucket");
        String key = "results/acme/job_IAMMULTIPART/result-00001.ndjson";
        String body = "{\"url\":\"https://example.com/\"}\n";
        asFunction(runtime, "FinalizerFunction", clients -> {
            String upload = clients.s3().createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            String etag = clients.s3().uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1),
                    RequestBody.fromString(body)).eTag();
            return clients.s3().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        });
        assertEquals(body, runtime.clients().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());

        S3Exception denied = assertThrows(S3Exception.class, () -> asFunction(runtime, "FinalizerFunction",
                clients -> clients.s3().createMultipartUpload(b -> b.bucket(bucket).key("work/acme/forged.ndjson"))));
        assertEquals(403, denied.statusCode());
        assertDenialLogged("FinalizerFunction", "s3:PutObject");
    }

    @Test
    void webhookSecretsAreStoredSealedAndOnlyTheFunctionsThatSignMayOpenThem(LocalRuntime runtime) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        Api.Answer created = api.post("/v1/jobs", "{\"input\": {\"urls\": [\"https://example.com/\"]}, \"dry_run\": true, "
                + "\"webhook\": \"http://127.0.0.1:9/iam\"}");
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();
        String secret = created.body().get("webhook_secret").asText();

        Map<String, AttributeValue> item = runtime.clients().dynamoDb().getItem(b -> b.tableName(runtime.resource("Table"))
                .key(Map.of("pk", AttributeValue.fromS("T#acme"), "sk", AttributeValue.fromS("J#" + id)))).item();
        assertFalse(item.isEmpty(), "the job's item");
        assertFalse(item.toString().contains(secret.substring("whsec_".length())), "no part of the secret in the clear");
        String sealed = new DynamoJobStore(new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table")))
                .find("acme", id).orElseThrow().settings().webhook().secret();
        assertTrue(sealed.startsWith("v1."), sealed);

        String keyId = runtime.resource("SecretsKey");
        assertEquals(secret, asFunction(runtime, "WebhookFunction", clients -> new KmsSecrets(clients::kms, keyId).open(sealed, id)));
        AwsServiceException denied = assertThrows(AwsServiceException.class, () -> asFunction(runtime, "AuthorizerFunction",
                clients -> new KmsSecrets(clients::kms, keyId).open(sealed, id)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertTrue(denied.getMessage().contains("AuthorizerFunction") && denied.getMessage().contains(
                "kms:Decrypt on resource: arn:aws:kms:us-east-1:000000000000:key/" + keyId), denied.getMessage());
        assertDenialLogged("AuthorizerFunction", "kms:Decrypt");
        assertThrows(AwsServiceException.class, () -> asFunction(runtime, "WorkerFunction",
                clients -> new KmsSecrets(clients::kms, keyId).open(sealed, id)), "workers sign nothing");
        assertThrows(RuntimeException.class, () -> asFunction(runtime, "WebhookFunction",
                clients -> new KmsSecrets(clients::kms, keyId).open(sealed, "job_00000000000000000000000000")),
                "sealed for its job alone");
    }

    private void assertDenialLogged(String function, String action) {
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertTrue(logged.lines().anyMatch(line -> line.contains("AccessDenied") && line.contains("\"function\":\"" + function + "\"")
                && line.contains("\"action\":\"" + action + "\"")), logged);
    }
}
