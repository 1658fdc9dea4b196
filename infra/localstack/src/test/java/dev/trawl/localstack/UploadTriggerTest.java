package dev.trawl.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.local.Api;
import dev.trawl.local.LocalRuntime;
import dev.trawl.local.TestSite;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files reach the service through S3's object-created notifications on LocalStack (the bucket notifies a queue,
 * which the runtime polls into the template's S3 events): a file PUT to a presigned upload link is checked by the
 * upload trigger and becomes a job's input, and a file dropped into a tenant's inbox starts a job by itself.
 */
@NeedsDocker
class UploadTriggerTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<String> urls(TestSite site, String name) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            urls.add(site.url("/page/" + name + "-" + i));
        }
        return urls;
    }

    @Test
    void aFilePutToItsUploadLinkIsCheckedByTheTriggerAndRunsAsAJob(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), OnLocalStack.ACME_KEY);
        byte[] file = (String.join("\n", urls(site, "upload")) + "\n").getBytes(StandardCharsets.UTF_8);
        Api.Answer upload = api.post("/v1/uploads", "{\"filename\":\"urls.txt\",\"size\":" + file.length + "}");
        assertEquals(201, upload.status(), upload.raw().body());
        String id = upload.body().get("id").asText();

        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.body().get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        JsonNode checked = Api.await("upload " + id + " checked", WAIT, () -> api.get("/v1/uploads/" + id).body(),
                u -> List.of("ready", "invalid").contains(u.get("status").asText()));
        assertEquals("ready", checked.get("status").asText(), checked.toString());
        assertEquals(20, checked.get("url_count").asInt());

        Api.Answer created = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + id + "\"}}");
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        assertEquals(20, job.get("urls_ok").asInt(), job.toString());
    }

    @Test
    void aFileDroppedIntoTheInboxStartsAJobByItself(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), OnLocalStack.ACME_KEY);
        // A space in the key: S3's notification sends it URL-encoded ('+'), the trigger must see the name as written.
        String name = "nightly " + System.nanoTime() + ".txt";
        runtime.clients().s3().putObject(b -> b.bucket(runtime.resource("Bucket")).key("inbox/acme/" + name)
                .contentType("text/plain"), RequestBody.fromString(String.join("\n", urls(site, "inbox"))));

        JsonNode started = Api.await("a job named " + name, WAIT, () -> {
            for (JsonNode listed : api.get("/v1/jobs?limit=50").body().get("jobs")) {
                if (name.equals(listed.path("name").asText(null))) {
                    return listed;
                }
            }
            return null;
        }, listed -> listed != null);
        assertEquals("inbox", started.at("/input/type").asText(), started.toString());
        JsonNode job = api.awaitTerminal(started.get("id").asText(), WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        assertEquals(20, job.get("urls_ok").asInt(), job.toString());
    }
}
