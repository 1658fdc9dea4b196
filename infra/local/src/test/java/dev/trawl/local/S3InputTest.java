package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import dev.trawl.aws.S3ExternalObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code s3_uri} input: a client's own bucket, the service's bucket only under the tenant's upload prefix, roles. */
@ExtendWith(LocalStackExtension.class)
class S3InputTest {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private static void put(LocalRuntime runtime, String bucket, String key, String text) {
        runtime.clients().s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    @Test
    void aClientsObjectIsReadAndAnotherTenantsUploadIsRefused(LocalRuntime runtime, TestSite site) throws Exception {
        runtime.clients().s3().createBucket(b -> b.bucket("customer-data"));
        String csv = "url,sku\n" + site.url("/page/s3-1") + ",A\n" + site.url("/missing/s3-2") + ",B\n";
        put(runtime, "customer-data", "exports/today.csv", csv);
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);

        Api.Answer asService = api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://customer-data/exports/today.csv\"}}");
        assertEquals(400, asService.status(), "a client's bucket is read only as a role of the client's");
        assertEquals("input.role_arn", asService.body().get("error").get("field").asText());
        Api.Answer created = api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://customer-data/exports/today.csv\","
                + "\"role_arn\":\"arn:aws:iam::123456789012:role/trawl-reader\"}}");
        assertEquals(202, created.status(), created.raw().body());
        assertEquals("s3", created.body().at("/input/type").asText());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(List.of("ok", "error"), rows.stream().map(r -> r.get("status").asText()).toList());
        assertEquals("A", rows.get(0).get("meta").get("sku").asText());

        String bucket = runtime.resource("Bucket");
        put(runtime, bucket, "uploads/acme/my-own.txt", site.url("/page/s3-own") + "\n");
        put(runtime, bucket, "uploads/globex/theirs.txt", site.url("/page/s3-theirs") + "\n");
        Api.Answer own = api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://" + bucket + "/uploads/acme/my-own.txt\"}}");
        assertEquals(202, own.status(), own.raw().body());
        assertEquals(1, api.awaitTerminal(own.body().get("id").asText(), WAIT).get("urls_ok").asInt());
        for (String key : List.of("uploads/globex/theirs.txt", "results/globex/x/result-00001.ndjson", "work/x/input.ndjson",
                "uploads/acme/../globex/theirs.txt")) {
            Api.Answer refused = api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://" + bucket + "/" + key + "\"}}");
            assertEquals(400, refused.status(), key + ": " + refused.raw().body());
            assertEquals("input.s3_uri", refused.body().get("error").get("field").asText());
        }
        Api.Answer missing = api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://customer-data/nothing-here.txt\","
                + "\"role_arn\":\"arn:aws:iam::123456789012:role/trawl-reader\"}}");
        assertEquals(422, missing.status());
        assertEquals("input_unreadable", missing.body().get("error").get("code").asText());
        assertEquals(400, api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"https://customer-data/x\"}}").status());
        assertEquals(400, api.post("/v1/jobs", "{\"input\":{\"s3_uri\":\"s3://customer-data/x\",\"role_arn\":\"admin\"}}").status());
    }

    @Test
    void aRoleIsAssumedWithTheTenantAsExternalIdAndItsCredentialsRead(LocalRuntime runtime) throws Exception {
        runtime.clients().s3().createBucket(b -> b.bucket("role-data"));
        put(runtime, "role-data", "list.txt", "https://a.example/1\n");
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.clear(); // what this request asked for alone
            for (String pair : form.split("&")) {
                String[] kv = pair.split("=", 2);
                seen.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            boolean allowed = "acme".equals(seen.get("ExternalId"));
            byte[] body = (allowed ? """
                    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
                    <Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                    <SessionToken>local-session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
                    <AssumedRoleUser><AssumedRoleId>AROA:trawl</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/reader/trawl</Arn></AssumedRoleUser>
                    </AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>"""
                    .formatted(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)
                    : """
                    <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
                    <Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>2</RequestId></ErrorResponse>""")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(allowed ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", EmbeddedStack.REGION, "TABLE_NAME", "-", "BUCKET_NAME", "-",
                "AWS_ACCESS_KEY_ID", EmbeddedStack.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedStack.SECRET_KEY,
                "AWS_ENDPOINT_URL_S3", runtime.stack().s3Endpoint().toString(),
                "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort()));
        try (AwsClients clients = new AwsClients(Config.fromEnv(env))) {
            S3ExternalObjects external = new S3ExternalObjects(clients.s3(), clients::sts, clients::s3With);
            String role = "arn:aws:iam::123456789012:role/reader";
            try (InputStream in = external.open("role-data", "list.txt", role, "acme")) {
                assertEquals("https://a.example/1\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(role, seen.get("RoleArn"));
            assertEquals("acme", seen.get("ExternalId"));
            assertEquals("trawl-acme", seen.get("RoleSessionName"));
            IOException denied = assertThrows(IOException.class, () -> external.check("role-data", "list.txt", role, "globex"));
            assertTrue(denied.getMessage().contains("AccessDenied"), denied.getMessage());
        } finally {
            sts.stop(0);
        }
    }

    @Test
    void aRoleOfTheServicesOwnAccountOrOneAssumableWithoutTheExternalIdIsRefused(LocalRuntime runtime) throws Exception {
        runtime.clients().s3().createBucket(b -> b.bucket("deputy-data"));
        put(runtime, "deputy-data", "list.txt", "https://a.example/1\n");
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String body = "{\"input\":{\"s3_uri\":\"s3://deputy-data/list.txt\",\"role_arn\":\"%s\"}}";

        Api.Answer own = api.post("/v1/jobs", body.formatted("arn:aws:iam::000000000000:role/trawl-anything"));
        assertEquals(400, own.status(), own.raw().body());
        assertEquals("input.role_arn", own.body().at("/error/field").asText());
        assertTrue(own.body().at("/error/message").asText().contains("your own AWS account"), own.raw().body());

        String careless = "arn:aws:iam::210987654321:role/trusts-anyone";
        runtime.stack().sts().trustsAnyone(careless);
        Api.Answer deputy = api.post("/v1/jobs", body.formatted(careless));
        assertEquals(400, deputy.status(), "a role assumable without the tenant's external id: " + deputy.raw().body());
        assertEquals("input.role_arn", deputy.body().at("/error/field").asText());
        assertTrue(deputy.body().at("/error/message").asText().contains("sts:ExternalId = \"acme\""), deputy.raw().body());

        Api.Answer careful = api.post("/v1/jobs", body.formatted("arn:aws:iam::210987654321:role/demands-the-tenant"));
        assertEquals(202, careful.status(), careful.raw().body());
    }
}
