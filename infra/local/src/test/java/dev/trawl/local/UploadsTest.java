package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.aws.S3BlobStore;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Getting URLs in every way the contract offers, over real HTTP and real S3 notifications. */
@ExtendWith(LocalStackExtension.class)
class UploadsTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<String> urls(TestSite site) {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            urls.add(site.url(i % 6 == 0 ? "/missing/up-" + i : "/page/up-" + i));
        }
        return urls;
    }

    private static Api.Answer directUpload(Api api, String contentType, String body) throws Exception {
        return api.send(api.request("/v1/uploads").header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode awaitUpload(Api api, String id) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode upload = api.get("/v1/uploads/" + id).body();
            String status = upload.get("status").asText();
            if (status.equals("ready") || status.equals("invalid")) {
                return upload;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("upload " + id + " was never checked");
    }

    private static List<JsonNode> rowsOfJob(Api api, String createBody) throws Exception {
        Api.Answer created = api.post("/v1/jobs", createBody);
        assertEquals(202, created.status(), created.raw().body());
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        assertEquals("completed", job.get("status").asText(), job.toString());
        return Api.stable(Api.download(job.get("download_url").asText()));
    }


    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void everyInputWayGivesTheSameRowsForTheSameUrls(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        List<String> urls = urls(site);
        ObjectNode inline = Json.object();
        inline.putObject("input").set("urls", Json.MAPPER.valueToTree(urls));
        List<JsonNode> expected = rowsOfJob(api, Json.write(inline));
        assertEquals(20, expected.size());

        // A direct upload of a text file.
        Api.Answer direct = directUpload(api, "text/plain; charset=utf-8", String.join("\n", urls) + "\n");
        assertEquals(201, direct.status(), direct.raw().body());
        assertEquals("pending", direct.body().get("status").asText());
        JsonNode checked = awaitUpload(api, direct.body().get("id").asText());
        assertEquals("ready", checked.get("status").asText(), checked.toString());
        assertEquals("text", checked.get("format").asText());
        assertEquals(20, checked.get("url_count").asInt());
        Api.Answer fromUpload = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + checked.get("id").asText() + "\"}}");
        assertEquals(202, fromUpload.status(), fromUpload.raw().body());
        assertEquals(20, fromUpload.body().get("urls_total").asInt(), "a job from an upload is counted at once");
        assertEquals("upload", fromUpload.body().at("/input/type").asText());
        JsonNode job = api.awaitTerminal(fromUpload.body().get("id").asText(), WAIT);
        assertEquals(expected, Api.stable(Api.download(job.get("download_url").asText())));

        // A gzipped NDJSON file PUT to a signed link.
        StringBuilder ndjson = new StringBuilder();
        urls.forEach(url -> ndjson.append("{\"url\":\"").append(url).append("\"}\n"));
        byte[] file = gzip(ndjson.toString());
        Api.Answer signed = api.post("/v1/uploads", "{\"filename\":\"urls.ndjson.gz\",\"size\":" + file.length + "}");
        assertEquals(201, signed.status(), signed.raw().body());
        assertEquals(1_073_741_824L, signed.body().get("max_bytes").asLong());
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(signed.body().get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        JsonNode signedChecked = awaitUpload(api, signed.body().get("id").asText());
        assertEquals("ready", signedChecked.get("status").asText(), signedChecked.toString());
        assertEquals("ndjson", signedChecked.get("format").asText());
        assertEquals(expected, rowsOfJob(api, "{\"input\":{\"upload_id\":\"" + signedChecked.get("id").asText() + "\"}}"));

        // The same file in the client's own bucket, named by s3_uri.
        runtime.clients().s3().createBucket(b -> b.bucket("acme-own-bucket"));
        runtime.clients().s3().putObject(b -> b.bucket("acme-own-bucket").key("lists/urls.ndjson.gz"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(file));
        assertEquals(expected, rowsOfJob(api, "{\"input\":{\"s3_uri\":\"s3://acme-own-bucket/lists/urls.ndjson.gz\","
                + "\"role_arn\":\"arn:aws:iam::123456789012:role/trawl-reader\"}}"));

        // A file dropped into the tenant's inbox starts a job by itself.
        S3BlobStore bucket = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        String name = "nightly " + System.nanoTime() + ".txt";
        bucket.put("inbox/acme/" + name, String.join("\n", urls).getBytes(StandardCharsets.UTF_8), "text/plain");
        JsonNode dropped = awaitJobNamed(api, name);
        assertEquals("inbox", dropped.at("/input/type").asText());
        JsonNode droppedJob = api.awaitTerminal(dropped.get("id").asText(), WAIT);
        assertEquals(expected, Api.stable(Api.download(droppedJob.get("download_url").asText())));
    }

    private static JsonNode awaitJobNamed(Api api, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode job : api.get("/v1/jobs?limit=50").body().get("jobs")) {
                if (name.equals(job.get("name").asText(null))) {
                    return job;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no job named " + name);
    }

    @Test
    void aFileWithBlankInvalidAndOverLongLinesKeepsOneRowPerLine(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        String csv = "sku,url,colour\r\n"
                + "A-1," + site.url("/page/csv-1") + ",blue\r\n"
                + "\r\n"
                + "B-2,not a url,red\r\n"
                + "C-3,\"" + site.url("/page/csv-3") + "\",\"green, light\"\r\n"
                + "D-4," + site.url("/page/" + "x".repeat(70_000)) + ",huge\r\n"
                + "E-5,,none\r\n";
        Api.Answer upload = directUpload(api, "text/csv", csv);
        assertEquals(201, upload.status(), upload.raw().body());
        JsonNode checked = awaitUpload(api, upload.body().get("id").asText());
        assertEquals("ready", checked.get("status").asText(), checked.toString());
        assertEquals("csv", checked.get("format").asText());
        assertEquals(5, checked.get("url_count").asInt());
        assertEquals(2, checked.get("invalid_lines").asInt(), "the over-long row and the row without url");

        Api.Answer created = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + checked.get("id").asText() + "\"}}");
        JsonNode job = api.awaitTerminal(created.body().get("id").asText(), WAIT);
        List<JsonNode> rows = Api.download(job.get("download_url").asText());
        assertEquals(List.of("ok", "error", "ok", "error", "error"), rows.stream().map(r -> r.get("status").asText()).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), rows.stream().map(r -> r.get("line").asInt()).toList());
        assertEquals("blue", rows.get(0).get("meta").get("colour").asText());
        assertEquals("green, light", rows.get(2).get("meta").get("colour").asText());
        rows.subList(3, 5).forEach(r -> assertEquals("invalid_url", r.get("error").get("code").asText()));
        assertEquals(5, job.get("urls_done").asInt());
    }

    @Test
    void multipartUploadsAndCopiesTriggerTooWhicheverWayTheObjectWasWritten(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        // Over 8 MiB, so that the service's own S3 writer sends it as a multipart upload: mostly blank lines.
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            text.append(site.url("/page/multi-" + i)).append('\n');
        }
        text.append("\n".repeat(9 * 1024 * 1024));
        byte[] file = text.toString().getBytes(StandardCharsets.UTF_8);
        Api.Answer signed = api.post("/v1/uploads", "{\"filename\":\"big.txt\",\"size\":" + file.length + "}");
        S3BlobStore bucket = new S3BlobStore(runtime.clients().s3(), runtime.clients().presigner(), runtime.resource("Bucket"));
        try (var upload = bucket.create("uploads/acme/" + signed.body().get("id").asText(), "text/plain")) {
            upload.stream().write(file);
            upload.commit();
        }
        JsonNode checked = awaitUpload(api, signed.body().get("id").asText());
        assertEquals("ready", checked.get("status").asText(), checked.toString());
        assertEquals(3, checked.get("url_count").asInt());

        String name = "copied-" + System.nanoTime() + ".txt";
        bucket.put("staging/acme-source.txt", site.url("/page/copied").getBytes(StandardCharsets.UTF_8), "text/plain");
        runtime.clients().s3().copyObject(b -> b.sourceBucket(runtime.resource("Bucket")).sourceKey("staging/acme-source.txt")
                .destinationBucket(runtime.resource("Bucket")).destinationKey("inbox/acme/" + name));
        JsonNode job = api.awaitTerminal(awaitJobNamed(api, name).get("id").asText(), WAIT);
        assertEquals(1, job.get("urls_ok").asInt());
    }

    @Test
    void uploadsAnswerTheContractsErrors(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        Api.Answer pending = api.post("/v1/uploads", "{\"filename\":\"later.txt\",\"size\":100}");
        String pendingId = pending.body().get("id").asText();
        Api.Answer notReady = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + pendingId + "\"}}");
        assertEquals(409, notReady.status());
        assertEquals("upload_not_ready", notReady.body().get("error").get("code").asText());

        // The signature binds the size: S3 refuses a file of another size.
        HttpResponse<String> wrongSize = HTTP.send(HttpRequest.newBuilder(URI.create(pending.body().get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofString("x".repeat(101))).build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, wrongSize.statusCode());

        Api.Answer empty = directUpload(api, "text/csv", "a,b\n1,2\n");
        JsonNode invalid = awaitUpload(api, empty.body().get("id").asText());
        assertEquals("invalid", invalid.get("status").asText());
        assertEquals("no_url_column", invalid.get("error").get("code").asText());
        Api.Answer fromInvalid = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + invalid.get("id").asText() + "\"}}");
        assertEquals(422, fromInvalid.status());
        assertEquals("upload_invalid", fromInvalid.body().get("error").get("code").asText());

        Api.Answer unknown = api.post("/v1/jobs", "{\"input\":{\"upload_id\":\"upl_00000000000000000000000000\"}}");
        assertEquals(404, unknown.status());
        Api globex = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        assertEquals(404, globex.get("/v1/uploads/" + pendingId).status(), "another tenant's upload does not exist");
        assertEquals(404, globex.post("/v1/jobs", "{\"input\":{\"upload_id\":\"" + pendingId + "\"}}").status());

        assertEquals(415, directUpload(api, "application/pdf", "%PDF").status());
        assertEquals(413, api.post("/v1/uploads", "{\"filename\":\"huge.txt\",\"size\":2000000000}").status());
        assertEquals(400, api.post("/v1/uploads", "{\"filename\":\"a/b.txt\",\"size\":10}").status());
        assertEquals(400, api.post("/v1/uploads", "{\"filename\":\"a.txt\",\"size\":0}").status());
        assertEquals(400, directUpload(api, "text/plain", "").status());
        assertEquals(413, directUpload(api, "text/plain", "https://a.example/\n".repeat(300_000)).status());
        assertTrue(api.get("/v1/uploads/upl_nope").status() == 404);
    }
}
