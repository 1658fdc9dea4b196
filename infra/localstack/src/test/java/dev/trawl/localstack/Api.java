package dev.trawl.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** A client of the runtime's API over real HTTP, as a user's program would be, for one tenant's key. */
final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A download link redirects to a presigned link of the bucket (on LocalStack), which a download tool follows. */
    private static final HttpClient DOWNLOADS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final URI base;
    private final String key;

    Api(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    record Answer(int status, JsonNode body, String text) {
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : Json.read(response.body(), JsonNode.class);
        return new Answer(response.statusCode(), body, response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
    }

    /** Polls a job until it is terminal, or fails after {@code timeout}. */
    JsonNode awaitTerminal(String jobId, Duration timeout) throws Exception {
        return await("job " + jobId + " ends", timeout, () -> get("/v1/jobs/" + jobId).body(),
                job -> List.of("completed", "failed", "cancelled").contains(job.path("status").asText()));
    }

    /** Polls {@code value} until {@code done} holds; fails with the last value seen after {@code timeout}. */
    static <T> T await(String what, Duration timeout, Callable<T> value, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.call();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout + "; last seen: " + last);
            }
            Thread.sleep(200);
            last = value.call();
        }
        return last;
    }

    /** A job's result file through its download link, with no credentials, as a user would read it. */
    static List<JsonNode> download(String downloadUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = DOWNLOADS.send(HttpRequest.newBuilder(URI.create(downloadUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("the download link answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty()) {
                rows.add(Json.read(line, JsonNode.class));
            }
        }
        return rows;
    }
}
