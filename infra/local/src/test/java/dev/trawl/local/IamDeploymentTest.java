package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment whose template forgot one permission fails on the local stack as it would on AWS: here the worker may no
 * longer ask for finalize, so the job's chunks all commit but it never finishes, and the denial names the function,
 * the action and the resource.
 */
class IamDeploymentTest {
    private static final String GRANT = "        - SQSSendMessagePolicy: { QueueName: !GetAtt FinalizeQueue.QueueName }\n";
    private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
    private static OwnStack stack;

    @BeforeAll
    static void start() throws Exception {
        Path template = LocalStackExtension.template();
        String text = Files.readString(template);
        int worker = text.indexOf("  WorkerFunction:\n");
        int grant = text.indexOf(GRANT, worker);
        assertTrue(worker > 0 && grant > worker && grant < text.indexOf("  ChunkDeadLetterFunction:\n"),
                "the worker's grant to ask for finalize is where this test expects it");
        Path dir = Files.createTempDirectory("trawl-iam");
        Files.writeString(dir.resolve("template.yaml"), text.substring(0, grant) + text.substring(grant + GRANT.length()));
        Files.copy(template.resolveSibling("openapi.yaml"), dir.resolve("openapi.yaml"));
        Log.redirect(new PrintStream(LOGS, true, StandardCharsets.UTF_8));
        stack = OwnStack.start("iam", Map.of(), options -> new LocalRuntime.Options(dir.resolve("template.yaml"),
                options.port(), options.apiKeys(), options.allowTargets(), options.parameters(), options.pollQueues()));
    }

    @AfterAll
    static void stop() {
        Log.redirect(System.out);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aMissingPermissionStopsTheJobWithAnAccessDeniedNamingFunctionActionAndResource() throws Exception {
        ObjectNode body = Json.object();
        body.putObject("input").putArray("urls").add(stack.site.url("/page/iam-1")).add(stack.site.url("/page/iam-2"));
        Api.Answer created = stack.api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        String id = created.body().get("id").asText();

        String denial = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (denial == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
            denial = LOGS.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("\"AccessDenied\"") && line.contains("\"function\":\"WorkerFunction\""))
                    .findFirst().orElse(null);
        }
        assertTrue(denial != null, "no denial logged: " + LOGS.toString(StandardCharsets.UTF_8));
        JsonNode logged = Json.parse(denial);
        assertEquals("sqs:SendMessage", logged.get("action").asText());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:FinalizeQueue", logged.get("resource").asText());
        assertTrue(logged.get("principal").asText().endsWith("/WorkerFunction"), denial);

        JsonNode job = stack.api.get("/v1/jobs/" + id).body();
        assertEquals("running", job.get("status").asText(), "no finalize without the grant: " + job);
        assertEquals(2, job.get("urls_done").asInt(), job.toString());
        assertEquals("pending", job.at("/phases/finalize/state").asText(), "the claim is given back when the request fails");
    }
}
