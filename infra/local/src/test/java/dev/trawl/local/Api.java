package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * A client of the local runtime's API over real HTTP, as a user's program would be, for one tenant's key (none: no
 * Authorization header). Public for infra/localstack's tests, which run the same runtime on LocalStack.
 */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A download link answers with a redirect to the storage link, which a download tool follows. */
    private static final HttpClient DOWNLOADS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final URI base;
    private final String key;

    public Api(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : Json.read(response.body(), JsonNode.class);
        return new Answer(response.statusCode(), body, response);
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** Polls a job until it is terminal, or fails after {@code timeout}. */
    public JsonNode awaitTerminal(String jobId, Duration timeout) throws IOException, InterruptedException {
        return awaitTerminal(jobId, timeout, new ArrayList<>());
    }

    /** The same, keeping every state of the job it saw on the way in {@code seen}. */
    public JsonNode awaitTerminal(String jobId, Duration timeout, List<JsonNode> seen) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Answer answer = get("/v1/jobs/" + jobId);
            if (answer.status() != 200) {
                throw new AssertionError("GET job answered " + answer.status() + ": " + answer.raw().body());
            }
            seen.add(answer.body());
            String status = answer.body().get("status").asText();
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                return answer.body();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still " + status + " after " + timeout + ": " + answer.body());
            }
            Thread.sleep(200);
        }
    }

    /** Polls {@code value} until {@code done} holds; fails with the last value seen after {@code timeout}. */
    public static <T> T await(String what, Duration timeout, Callable<T> value, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.call();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout + "; last seen: " + last);
            }
            Thread.sleep(100);
            last = value.call();
        }
        return last;
    }

    /** Rows without the fields that depend on timing, to compare runs. */
    public static List<JsonNode> stable(List<JsonNode> rows) {
        List<JsonNode> copy = new ArrayList<>();
        for (JsonNode row : rows) {
            com.fasterxml.jackson.databind.node.ObjectNode stable = row.deepCopy();
            stable.remove("elapsed_ms");
            stable.remove("fetched_at");
            copy.add(stable);
        }
        return copy;
    }

    /** The same link's body as a stream, for a result too large to hold; the caller closes it. */
    public static InputStream openDownload(String signedUrl) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = DOWNLOADS.send(HttpRequest.newBuilder(URI.create(signedUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new AssertionError("the signed link answered " + response.statusCode() + ": "
                        + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return response.body();
    }

    /** Reads the result file through its download link (or a storage link), with no credentials, as a user would. */
    public static List<JsonNode> download(String signedUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = DOWNLOADS.send(HttpRequest.newBuilder(URI.create(signedUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("the signed link answered " + response.statusCode() + ": " + response.body());
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
