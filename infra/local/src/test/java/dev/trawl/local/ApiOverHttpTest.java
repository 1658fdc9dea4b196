package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's contract over real HTTP through the local API Gateway: keys, tenancy, errors, listing. */
@ExtendWith(LocalStackExtension.class)
class ApiOverHttpTest {

    private static String tinyJob(TestSite site, String name) {
        return "{\"name\":\"" + name + "\",\"input\":{\"urls\":[\"" + site.url("/page/1") + "\"]}}";
    }

    @Test
    void missingOrUnknownKeysAre401InTheContractsForm(LocalRuntime runtime) throws Exception {
        for (Api api : List.of(new Api(runtime.apiUrl(), null), new Api(runtime.apiUrl(), "no-such-key"))) {
            Api.Answer answer = api.get("/v1/jobs");
            assertEquals(401, answer.status());
            assertEquals("unauthorized", answer.body().get("error").get("code").asText());
        }
        Api.Answer wrongScheme = new Api(runtime.apiUrl(), null).send(new Api(runtime.apiUrl(), null)
                .request("/v1/jobs").header("Authorization", "Basic " + LocalStackExtension.ACME_KEY).GET());
        assertEquals(401, wrongScheme.status());
    }

    @Test
    void anotherTenantsJobIsNotFoundAndNeverListed(LocalRuntime runtime, TestSite site) throws Exception {
        Api acme = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        Api globex = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        String id = acme.post("/v1/jobs", tinyJob(site, "acme-private")).body().get("id").asText();
        Api.Answer stolen = globex.get("/v1/jobs/" + id);
        assertEquals(404, stolen.status());
        assertEquals("not_found", stolen.body().get("error").get("code").asText());
        assertEquals(404, globex.get("/v1/jobs/job_00000000000000000000000000").status());
        for (JsonNode job : globex.get("/v1/jobs?limit=1000").body().get("jobs")) {
            assertNotEquals(id, job.get("id").asText());
        }
        assertEquals(200, acme.get("/v1/jobs/" + id).status());
    }

    @Test
    void malformedRequestsAre4xxNever5xx(LocalRuntime runtime) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY);
        List<String> bodies = List.of("", "{", "[]", "null", "\"text\"", "{\"input\":{\"urls\":[]}}",
                "{\"input\":{\"urls\":[1]}}", "{\"input\":{\"urls\":[\"https://example.com\"]},\"concurrency\":999}",
                "{\"input\":{\"urls\":[\"https://example.com\"]},\"render\":true}", "{\"input\":{\"urls\":[\"https://example.com\"]}} x",
                "{\"input\":{\"urls\":[\"https://example.com\"]},\"defaults\":{\"headers\":{\"Host\":\"evil\"}}}",
                "\u0000\u0001", "{\"input\":{\"urls\":[\"https://example.com/\u00fc\"]},\"name\":\"\u540d\u524d \uD83D\uDE00\"}");
        for (String body : bodies) {
            Api.Answer answer = api.post("/v1/jobs", body);
            assertTrue(answer.status() >= 400 && answer.status() < 500 || answer.status() == 202,
                    body + " → " + answer.status() + " " + answer.raw().body());
            if (answer.status() != 202) {
                assertTrue(answer.body().get("error").get("code").isTextual(), body);
                assertTrue(answer.body().get("error").get("message").isTextual(), body);
            }
        }
        assertEquals(400, api.post("/v1/jobs", "{").status());
        Api.Answer typed = api.post("/v1/jobs", "{\"input\":{\"urls\":[\"https://example.com/a\", 42]}}");
        assertEquals(400, typed.status());
        assertEquals("input.urls[1]", typed.body().get("error").get("field").asText());
        assertEquals(400, api.get("/v1/jobs?limit=0").status());
        assertEquals(400, api.get("/v1/jobs?limit=abc").status());
        assertEquals(400, api.get("/v1/jobs?cursor=forged.cursor").status());
        assertEquals(400, api.get("/v1/jobs?colour=blue").status());
        // A query string that does not percent-decode passes the gateway as sent; the API function refuses it.
        RawHttp.Answer undecodable = RawHttp.get(runtime.apiUrl(), "/v1/jobs?cursor=%%%",
                Map.of("Authorization", "Bearer " + LocalStackExtension.ACME_KEY));
        assertEquals(400, undecodable.status(), undecodable.body());
        assertEquals("invalid_request", Json.read(undecodable.body(), JsonNode.class).get("error").get("code").asText());
        // A body that is not UTF-8 (Latin-1 "café") reaches the function base64-encoded and is refused, not mangled.
        byte[] latin1 = "{\"input\":{\"urls\":[\"https://example.com/\"]},\"name\":\"caf\u00e9\"}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Api.Answer notUtf8 = api.send(api.request("/v1/jobs").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)));
        assertEquals(400, notUtf8.status(), notUtf8.raw().body());
        assertEquals("invalid_request", notUtf8.body().get("error").get("code").asText());
        assertTrue(notUtf8.body().get("error").get("message").asText().contains("UTF-8"), notUtf8.raw().body());
        Api.Answer unknownRoute = api.get("/v1/nothing-here");
        assertEquals(404, unknownRoute.status());
        assertEquals("not_found", unknownRoute.body().get("error").get("code").asText());
        assertEquals(404, api.send(api.request("/v1/jobs").method("PATCH", HttpRequest.BodyPublishers.noBody())).status());
    }

    @Test
    void listingPagesNewestFirstWithCursorsBoundToTheTenant(LocalRuntime runtime, TestSite site) throws Exception {
        Api api = new Api(runtime.apiUrl(), LocalStackExtension.GLOBEX_KEY);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(api.post("/v1/jobs", tinyJob(site, "page-" + i)).body().get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Answer page = api.get("/v1/jobs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.raw().body());
            page.body().get("jobs").forEach(job -> seen.add(job.get("id").asText()));
            cursor = page.body().get("next_cursor").isNull() ? null : page.body().get("next_cursor").asText();
            pages++;
            if (cursor != null) {
                Api.Answer otherTenant = new Api(runtime.apiUrl(), LocalStackExtension.ACME_KEY)
                        .get("/v1/jobs?limit=3&cursor=" + cursor);
                assertEquals(400, otherTenant.status(), "another tenant's cursor must be refused");
            }
        } while (cursor != null && pages < 10);
        List<String> newestFirst = new ArrayList<>(created.reversed());
        assertEquals(newestFirst, seen.subList(0, 7));
        assertEquals(seen.size(), seen.stream().distinct().count(), "no job twice");
    }
}
