package dev.trawl.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.util.Json;
import dev.trawl.local.Api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** What the end-to-end benchmarks do as a client: a URL file PUT to a signed upload link, and a job created from it. */
final class UploadJobs {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private UploadJobs() {
    }

    /** Asks for an upload link, PUTs {@code file} ({@code size} bytes) to it, waits until it is ready; its id. */
    static String upload(Api api, HttpRequest.BodyPublisher file, long size) throws Exception {
        Api.Answer signed = api.post("/v1/uploads", "{\"filename\":\"urls.txt\",\"size\":" + size + "}");
        require(signed.status() == 201, "upload link: " + signed.raw().body());
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(signed.body().get("upload_url").asText()))
                .PUT(file).build(), HttpResponse.BodyHandlers.ofString());
        require(put.statusCode() == 200, "PUT upload: " + put.statusCode());
        String uploadId = signed.body().get("id").asText();
        // Every 2 s at most: a large file takes a while to check, and the tenant's request rate is limited.
        JsonNode upload = Api.await("the upload checked", Duration.ofMinutes(10), () -> {
            JsonNode seen = api.get("/v1/uploads/" + uploadId).body();
            if (seen.get("status").asText().equals("pending")) {
                Thread.sleep(Math.min(2_000, size / 10_000));
            }
            return seen;
        }, u -> List.of("ready", "invalid").contains(u.get("status").asText()));
        require(upload.get("status").asText().equals("ready"), "upload: " + upload);
        return uploadId;
    }

    /** Creates a job of the upload's URLs with no retries, {@code fetch} added to its defaults; its id. */
    static String createJob(Api api, String uploadId, int concurrency, ObjectNode fetch) throws Exception {
        ObjectNode body = Json.object();
        body.putObject("input").put("upload_id", uploadId);
        body.put("concurrency", concurrency);
        ObjectNode defaults = body.putObject("defaults");
        defaults.setAll(fetch);
        defaults.put("retries", 0);
        Api.Answer created = api.post("/v1/jobs", Json.write(body));
        require(created.status() == 202, "create: " + created.raw().body());
        return created.body().get("id").asText();
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
