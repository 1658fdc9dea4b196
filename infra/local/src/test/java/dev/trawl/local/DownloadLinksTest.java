package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Download links live what {@code download_url_ttl_s} says, whatever the credentials of the functions that handed them
 * out: on a stack whose functions' credentials expire after 8 seconds (as a Lambda role's session credentials do,
 * hours later), a 30-day link still downloads once every credential of its job's day has expired, while a storage link
 * signed with such credentials is refused; and a 60-second link is refused once past its end.
 */
class DownloadLinksTest {
    private static final Duration CREDENTIALS = Duration.ofSeconds(8);
    private static OwnStack stack;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        stack = OwnStack.start("links", Map.of(), options -> options.withCredentialLifetime(CREDENTIALS));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String job(long ttlSeconds) throws Exception {
        ObjectNode body = Json.object();
        body.putObject("input").putArray("urls").add(stack.site.url("/page/links-" + ttlSeconds));
        body.put("download_url_ttl_s", ttlSeconds);
        Api.Answer created = stack.api.post("/v1/jobs", Json.write(body));
        assertEquals(202, created.status(), created.raw().body());
        return created.body().get("id").asText();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLinkOutlivesTheCredentialsOfItsDayAndEndsWhenItSays() throws Exception {
        String month = job(30L * 86_400);
        String minute = job(60);
        JsonNode monthJob = stack.api.awaitTerminal(month, Duration.ofMinutes(1));
        JsonNode minuteJob = stack.api.awaitTerminal(minute, Duration.ofMinutes(1));
        assertEquals("completed", monthJob.get("status").asText(), monthJob.toString());
        assertEquals(Instant.parse(monthJob.get("completed_at").asText()).plus(Duration.ofDays(30)),
                Instant.parse(monthJob.get("download_url_expires_at").asText()));
        String link = monthJob.get("download_url").asText();
        assertTrue(link.startsWith(stack.runtime.apiUrl() + "/v1/results/"), link);

        // A storage link signed now, with the credentials a function has now (what links were before).
        String bucket = stack.runtime.resource("Bucket");
        String key = "results/links/" + month + "/result-00001.ndjson";
        String signedNow;
        try (AwsClients clients = new AwsClients(Config.fromEnv(stack.runtime.environmentOf("ApiFunction")))) {
            signedNow = clients.presigner().presignGetObject(b -> b.signatureDuration(Duration.ofDays(7))
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
        }
        assertEquals(200, get(signedNow).statusCode());

        Thread.sleep(CREDENTIALS.plusSeconds(2).toMillis());

        assertEquals(403, get(signedNow).statusCode(), "its credentials have expired, and the link with them");
        List<JsonNode> rows = Api.download(link);
        assertEquals(1, rows.size(), "the download link is signed anew by the API's current credentials");
        assertEquals("ok", rows.getFirst().get("status").asText());

        Instant minuteEnds = Instant.parse(minuteJob.get("download_url_expires_at").asText());
        long wait = Duration.between(Instant.now(), minuteEnds).toMillis();
        if (wait > 0) {
            Thread.sleep(wait + 500);
        }
        HttpResponse<String> expired = get(minuteJob.get("download_url").asText());
        assertEquals(410, expired.statusCode(), expired.body());
        assertEquals("link_expired", Json.parse(expired.body()).at("/error/code").asText());
    }
}
