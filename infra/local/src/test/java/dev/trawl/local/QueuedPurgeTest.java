package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.aws.DynamoChunkLedger;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.auth.Authenticator;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Removing jobs on the local stack: {@code DELETE /v1/jobs?status=terminal} of many jobs and
 * {@code DELETE /v1/jobs/{id}?purge=true} remove the records in the request (the jobs are 404 at once) and queue
 * the rest; the purger then removes every work and result file and the chunk commits. A tenant of its own, so that
 * no other test's jobs are removed.
 */
@ExtendWith(LocalStackExtension.class)
class QueuedPurgeTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int JOBS = 25;

    private static String submit(Api api, TestSite site, int n) throws Exception {
        ObjectNode body = Json.object();
        body.put("name", "purge " + n);
        ArrayNode urls = body.putObject("input").putArray("urls");
        for (int i = 1; i <= 3; i++) {
            urls.add(site.url("/page/purge-" + n + "-" + i));
        }
        body.put("dry_run", true);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        return created.body().get("id").asText();
    }

    /** The job's objects under its work and result prefixes. */
    private static int files(LocalRuntime runtime, String tenant, String id) {
        String bucket = runtime.resource("Bucket");
        int count = 0;
        for (String prefix : List.of("work/" + id + "/", "results/" + tenant + "/" + id + "/")) {
            count += runtime.clients().s3().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount();
        }
        return count;
    }

    private static void awaitPurged(LocalRuntime runtime, String tenant, List<String> ids) throws Exception {
        DynamoChunkLedger ledger = new DynamoChunkLedger(new DynamoTable(runtime.clients().dynamoDb(),
                runtime.resource("Table")));
        Api.await("the purger removed every file and commit of " + ids.size() + " jobs", WAIT, () -> {
            List<String> left = new ArrayList<>();
            for (String id : ids) {
                if (files(runtime, tenant, id) > 0 || ledger.committedChunks(id).iterator().hasNext()) {
                    left.add(id);
                }
            }
            return left;
        }, List::isEmpty);
    }

    @Test
    void removedJobsAreGoneAtOnceAndTheirFilesAndCommitsGoThroughThePurger(LocalRuntime runtime, TestSite site)
            throws Exception {
        String tenant = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "test-key-" + tenant;
        new DynamoApiKeyStore(new DynamoTable(runtime.clients().dynamoDb(), runtime.resource("Table")))
                .put(Authenticator.hashOf(key), tenant);
        Api api = new Api(runtime.apiUrl(), key);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < JOBS + 1; n++) {
            ids.add(submit(api, site, n));
        }
        for (String id : ids) {
            JsonNode job = api.awaitTerminal(id, WAIT);
            assertEquals("completed", job.get("status").asText(), job.toString());
            assertTrue(files(runtime, tenant, id) >= 3, "input, chunk, part and result of " + id);
        }
        String single = ids.removeLast();

        Api.Answer alone = api.send(api.request("/v1/jobs/" + single + "?purge=true").DELETE());
        assertEquals(204, alone.status(), alone.raw().body());
        assertEquals(404, api.get("/v1/jobs/" + single).status(), "the record goes in the request");

        Api.Answer removed = api.send(api.request("/v1/jobs?status=terminal").DELETE());
        assertEquals(200, removed.status(), removed.raw().body());
        assertEquals(Json.parse("{\"deleted\": " + JOBS + "}"), removed.body(), "all in one call: no 'more'");
        for (String id : ids) {
            assertEquals(404, api.get("/v1/jobs/" + id).status(), id);
        }
        assertFalse(api.get("/v1/jobs?status=all").body().get("jobs").elements().hasNext(), "none listed");

        ids.add(single);
        awaitPurged(runtime, tenant, ids);
    }
}
