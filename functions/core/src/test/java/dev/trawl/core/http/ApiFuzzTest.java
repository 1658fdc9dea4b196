package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.auth.Authenticator;
import dev.trawl.core.http.ApiRequests.Trial;
import dev.trawl.core.http.JsonText.Obj;
import dev.trawl.core.testing.InMemoryApiKeyStore;
import dev.trawl.core.upload.UploadStatus;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static dev.trawl.core.http.Answers.assertAnswered;
import static dev.trawl.core.http.Answers.assertError;
import static dev.trawl.core.http.Answers.assertErrorForm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the request handling of every route through {@link HttpApi#handle}, the entry point the Lambda handler
 * calls: whatever the route key, path, query, headers, body and caller, no exception escapes, no answer is a 5xx and
 * every 4xx is in the contract's error form. Generated inputs come from {@link Fuzz} (random seed per run, named on
 * failure; {@code -Dtrawl.fuzz.factor=50} for a long hunt). A few properties check that valid requests still succeed,
 * so that the generators are known to reach past the first check.
 */
class ApiFuzzTest {
    private static final Set<String> ID_ROUTES = Set.of("GET /v1/jobs/{id}", "DELETE /v1/jobs/{id}",
            "POST /v1/jobs/{id}/cancel", "POST /v1/jobs/{id}/retry", "GET /v1/jobs/{id}/metrics",
            "GET /v1/jobs/{id}/results", "GET /v1/jobs/{id}/webhook-deliveries",
            "POST /v1/jobs/{id}/webhook-deliveries/redeliver", "GET /v1/uploads/{id}");
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    @BeforeEach
    void quietLogs() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void restoreLogs() {
        Log.redirect(System.out);
    }

    // ---- everything at once -------------------------------------------------------------------------------

    @Test
    void anyRequestToAnyRouteIsAnsweredWithoutA5xx() {
        Set<String> reached = new HashSet<>();
        Fuzz.forAll(1_500, ApiRequests.trial(ApiRequests::anything), Trial::describe, trial -> {
            ApiResponse response = trial.send();
            assertAnswered(response);
            if (response.status() != 401) {
                reached.add(trial.request().routeKey());
            }
        });
        assertTrue(reached.containsAll(HttpApi.ROUTES), "every route is reached past authentication: " + reached);
    }

    @Test
    void aCallerWithoutAnAcceptedKeyIsUnauthorizedAndChangesNothing() {
        // a download link is its own credential: its route is sent as another route that takes a key
        Fuzz.forAll(300, ApiRequests.trial(world -> ApiRequests.anything(world).map(r -> new ApiRequest(
                HttpApi.PUBLIC_ROUTES.contains(String.valueOf(r.routeKey())) ? "GET /v1/jobs" : r.routeKey(), r.pathParameters(),
                r.query(), r.headers(), r.body(), null))), Trial::describe, trial -> {
            int jobs = trial.world().api.jobs.size();
            int blobs = trial.world().api.blobs.all().size();

            assertError(trial.send(), 401, "unauthorized", null);

            assertEquals(jobs, trial.world().api.jobs.size());
            assertEquals(blobs, trial.world().api.blobs.all().size());
            assertTrue(trial.world().api.queue.planRequests.isEmpty());
        });
    }

    // ---- POST /v1/jobs ------------------------------------------------------------------------------------

    @Test
    void aJobRequestWithSomethingChangedIsAcceptedOrRefusedInTheErrorForm() {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Fuzz.forAll(1_000, ApiRequests.trial(world -> random -> createJob(
                ApiRequests.mutatedJob(random, world.uploadIds.get(UploadStatus.READY)), JSON)), Trial::describe, trial -> {
            ApiResponse response = trial.send();
            assertAnswered(response);
            assertTrue(response.status() == 202 || response.status() >= 400, "status " + response.status());
            (response.status() == 202 ? accepted : refused).incrementAndGet();
        });
        assertTrue(accepted.get() > 0 && refused.get() > 0, "mutations both keep and break requests: " + accepted + " accepted, "
                + refused + " refused");
    }

    @Test
    void validJobRequestsAreAccepted() {
        Fuzz.forAll(300, ApiRequests.trial(world -> random -> createJob(
                JsonText.write(JobRequests.valid(random, world.uploadIds.get(UploadStatus.READY)), random.nextBoolean()),
                Map.of("content-type", ApiRequests.contentType().next(random)))), Trial::describe, trial -> {
            ApiResponse response = trial.send();

            assertEquals(202, response.status(), Fuzz.shown(response.body()));
            JsonNode job = Json.parse(response.body());
            assertEquals("/v1/jobs/" + job.get("id").textValue(), response.headers().get("location"));
            assertEquals("queued", job.get("status").textValue());
            assertEquals(1, trial.world().api.queue.planRequests.size());
        });
    }

    @Test
    void bodiesThatAreNoJobRequestAreRefused() {
        Gen<String> notAJob = Gen.frequency(
                Gen.weight(30, HostileText.ANY),
                Gen.weight(30, random -> JsonText.write(HostileJson.VALUE.next(random), random.nextBoolean())),
                Gen.weight(20, HostileJson::deepText),
                Gen.weight(5, random -> ApiRequests.hugeJob(random) + " ".repeat(random.nextInt(4, 100))),
                Gen.weight(10, Gen.elements(null, "", " \n\t", "{}", "[]", "null", "\"{}\"", "{\"input\":{}}")));
        Fuzz.forAll(400, ApiRequests.trial(world -> random -> createJob(notAJob.next(random), JSON)), Trial::describe, trial -> {
            ApiResponse response = trial.send();
            assertAnswered(response);
            if (response.status() < 400) {
                // only a generated object that happens to hold a usable input may pass
                assertTrue(Json.parse(trial.request().body()).has("input"), "accepted: " + response.status());
            }
        });
    }

    @Test
    void extractAndRegexFilterExpressionsOfAnyShapeAreAcceptedOrRefusedByField() {
        Fuzz.forAll(500, ApiRequests.trial(world -> random -> createJob(withExpressions(random), JSON)), Trial::describe,
                trial -> {
                    ApiResponse response = trial.send();
                    assertAnswered(response);
                    if (response.status() != 202) {
                        String field = assertErrorForm(response).path("field").asText("");
                        assertTrue(field.equals("regex_filter") || field.startsWith("defaults.extract"), response.body());
                    }
                });
    }

    @Test
    void idempotencyKeysOfAnyShapeAreHonouredOrRefusedByName() {
        Fuzz.forAll(300, ApiRequests.trial(world -> random -> createJob(
                JsonText.write(JobRequests.valid(random, null), false),
                Map.of("content-type", "application/json", "idempotency-key", ApiRequests.idempotencyKey().next(random)))),
                Trial::describe, trial -> {
                    String key = trial.request().header("idempotency-key");
                    ApiResponse first = trial.send();
                    if (key.isEmpty() || key.length() > 255) {
                        assertError(first, 400, "invalid_request", "Idempotency-Key");
                        return;
                    }
                    assertEquals(202, first.status(), Fuzz.shown(first.body()));
                    ApiResponse again = trial.send();
                    assertEquals(202, again.status(), Fuzz.shown(again.body()));
                    assertEquals(Json.parse(first.body()).get("id"), Json.parse(again.body()).get("id"));
                });
    }

    // ---- paths --------------------------------------------------------------------------------------------

    @Test
    void anIdThatNamesNothingOfTheCallersAnswersAsAnUnknownIdOnEveryRoute() {
        Gen<String> route = Gen.elements(ID_ROUTES.stream().sorted().toArray(String[]::new));
        Fuzz.forAll(800, ApiRequests.trial(world -> random -> {
            String routeKey = route.next(random);
            Map<String, List<String>> query = routeKey.startsWith("DELETE") && random.nextBoolean()
                    ? Map.of("purge", List.of("true")) : Map.of();
            return new ApiRequest(routeKey, ApiRequests.pathParameters(world).next(random), query, JSON,
                    random.nextBoolean() ? null : HostileText.ANY.next(random), FuzzWorld.TENANT);
        }), Trial::describe, trial -> {
            ApiResponse response = trial.send();
            assertAnswered(response);
            String id = trial.request().pathParameters().get("id");
            if (id != null && (trial.world().jobIds.containsValue(id) || trial.world().uploadIds.containsValue(id))) {
                return; // an id of the caller's own: each route's test (GetJobRouteTest, …) says what it does with it
            }
            if (!trial.request().query().isEmpty()) {
                assertEquals(204, response.status(), "purging what does not exist");
            } else {
                assertError(response, 404, "not_found", null);
            }
        });
    }

    // ---- query strings ------------------------------------------------------------------------------------

    @Test
    void listAndBulkRemoveAnswerAnyQueryNamingTheParameterAtFault() {
        Gen<String> route = Gen.elements("GET /v1/jobs", "DELETE /v1/jobs");
        Fuzz.forAll(800, ApiRequests.trial(world -> random -> new ApiRequest(route.next(random), Map.of(),
                ApiRequests.query(world).next(random), JSON, null, FuzzWorld.TENANT)), Trial::describe, trial -> {
            ApiResponse response = trial.send();
            assertAnswered(response);
            if (response.status() == 400) {
                String field = assertErrorForm(response).path("field").textValue();
                Set<String> named = trial.request().routeKey().startsWith("DELETE")
                        ? union(trial.request().query().keySet(), "status") : trial.request().query().keySet();
                assertTrue(named.contains(field), "field " + field + " is a parameter of the request");
            }
        });
    }

    @Test
    void validListQueriesSucceedWithTheCallersJobsOnly() {
        Fuzz.forAll(300, ApiRequests.trial(world -> random -> new ApiRequest("GET /v1/jobs", Map.of(),
                validListQuery(world, random), JSON, null, FuzzWorld.TENANT)), Trial::describe, trial -> {
            ApiResponse response = trial.send();

            assertEquals(200, response.status(), Fuzz.shown(response.body()));
            JsonNode body = Json.parse(response.body());
            assertTrue(body.get("jobs").isArray());
            assertTrue(body.get("next_cursor").isNull() || body.get("next_cursor").isTextual());
            for (JsonNode job : body.get("jobs")) {
                assertTrue(trial.world().jobIds.containsValue(job.get("id").textValue()), "the caller's own job");
            }
        });
    }

    @Test
    void rawQueryStringsParseOrAreRefusedAsMalformed() {
        Fuzz.forAll(1_000, ApiRequests.trial(world -> random -> new ApiRequest("GET /v1/jobs", Map.of(), Map.of(), JSON,
                rawQuery(random), FuzzWorld.TENANT)), trial -> "raw query " + Fuzz.shown(trial.request().body()), trial -> {
            String raw = trial.request().body();
            Map<String, List<String>> query;
            try {
                query = QueryString.parse(raw);
            } catch (IllegalArgumentException e) {
                return; // the handler answers this with its own 400: the query string is malformed
            }
            assertAnswered(trial.world().api.handle(new ApiRequest("GET /v1/jobs", Map.of(), query, JSON, null,
                    FuzzWorld.TENANT)));
        });
    }

    // ---- uploads ------------------------------------------------------------------------------------------

    @Test
    void uploadsOfAnyTypeAndBodyAreAnsweredWithoutA5xx() {
        Fuzz.forAll(500, ApiRequests.trial(world -> random -> new ApiRequest("POST /v1/uploads", Map.of(),
                random.nextBoolean() ? Map.of() : ApiRequests.query(world).next(random),
                Map.of("content-type", ApiRequests.contentType().next(random)), ApiRequests.uploadBody().next(random),
                FuzzWorld.TENANT)), Trial::describe, trial -> assertAnswered(trial.send()));
    }

    @Test
    void validUploadsAreCreated() {
        Fuzz.forAll(200, ApiRequests.trial(world -> random -> random.nextBoolean()
                ? new ApiRequest("POST /v1/uploads", Map.of(), Map.of(), JSON,
                JsonText.write(ApiRequests.signedUpload(random, true), random.nextBoolean()), FuzzWorld.TENANT)
                : new ApiRequest("POST /v1/uploads", Map.of(), Map.of(), Map.of("content-type",
                Gen.elements("text/plain", "application/x-ndjson", "text/csv; charset=utf-8").next(random)),
                ApiRequests.lines(random), FuzzWorld.TENANT)), Trial::describe, trial -> {
            ApiResponse response = trial.send();

            assertEquals(201, response.status(), Fuzz.shown(response.body()));
            assertEquals("pending", Json.parse(response.body()).get("status").textValue());
        });
    }

    // ---- authentication -----------------------------------------------------------------------------------

    @Test
    void authorizationHeadersOfAnyShapeGiveTheTenantOnlyForTheKey() {
        String key = "trawl_live_0123456789abcdef";
        InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
        keys.put(Authenticator.hashOf(key), FuzzWorld.TENANT);
        Authenticator authenticator = new Authenticator(keys);
        Gen<String> header = Gen.frequency(
                Gen.weight(40, HostileText.ANY),
                Gen.weight(30, random -> "Bearer " + HostileText.ANY.next(random)),
                Gen.weight(30, random -> Gen.elements("Bearer ", "bearer ", "BEARER ", "Bearer", "Basic ", "").next(random)
                        + HostileText.soup(0, 3).next(random) + key + HostileText.soup(0, 3).next(random)));
        Fuzz.forAll(1_000, header, Fuzz::shown, value -> {
            Optional<String> tenant = authenticator.tenantOf(value);
            boolean theKey = value.regionMatches(true, 0, "Bearer ", 0, 7) && value.substring(7).strip().equals(key);
            if (theKey || tenant.isPresent()) {
                // strip() and the authenticator's trim() differ on exotic spaces; the key itself must be there
                assertTrue(value.contains(key), "a tenant without the key");
            }
            if (theKey && value.substring(7).trim().equals(key)) {
                assertEquals(Optional.of(FuzzWorld.TENANT), tenant);
            }
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static ApiRequest createJob(String body, Map<String, String> headers) {
        return new ApiRequest("POST /v1/jobs", Map.of(), Map.of(), headers, body, FuzzWorld.TENANT);
    }

    /** A valid job whose defaults.extract and regex_filter hold expressions from valid to pathological. */
    private static String withExpressions(RandomGenerator random) {
        Obj job = JobRequests.valid(random, null);
        job.members().removeIf(m -> m.key().equals("defaults") || m.key().equals("regex_filter"));
        Obj extract = JobRequests.extract(random);
        String form = Gen.elements("css", "json", "regex").next(random);
        Obj spec = new Obj().with(form, Expressions.of(form).next(random));
        if (form.equals("regex") && random.nextBoolean()) {
            spec.with("group", random.nextInt(-1, 3));
        }
        extract.with("nasty", spec);
        job.with("defaults", new Obj().with("extract", extract));
        if (random.nextBoolean()) {
            job.with("regex_filter", Expressions.of("regex").next(random));
        }
        return JsonText.write(job, random.nextBoolean());
    }

    private static Map<String, List<String>> validListQuery(FuzzWorld world, RandomGenerator random) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            query.put("limit", List.of(String.valueOf(random.nextInt(1, 1_001))));
        }
        if (random.nextBoolean()) {
            List<String> words = List.of("all", "active", "terminal", "queued", "running", "cancelling", "completed",
                    "failed", "cancelled");
            query.put("status", List.of(words.get(random.nextInt(words.size())) + (random.nextBoolean() ? ""
                    : "," + words.get(random.nextInt(words.size())).toUpperCase(Locale.ROOT))));
        }
        if (random.nextBoolean()) {
            query.put("name_prefix", List.of(HostileText.soup(1, 20).next(random)));
        }
        if (random.nextBoolean()) {
            query.put("cursor", List.of(world.cursor()));
        }
        return query;
    }

    /** A raw query string: pairs of hostile names and values, percent-encoded right, wrong or not at all. */
    private static String rawQuery(RandomGenerator random) {
        Gen<String> part = Gen.frequency(
                Gen.weight(30, Gen.elements("limit", "cursor", "status", "50", "a+b", "%2B", "%20", "%00", "%zz", "%",
                        "%e2%82", "%E2%82%AC", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "=", "&", "%26", "%3D", "+", "")),
                Gen.weight(70, HostileText.SHORT));
        StringBuilder raw = new StringBuilder();
        for (int i = random.nextInt(0, 6); i > 0; i--) {
            raw.append(part.next(random));
            if (random.nextInt(4) > 0) {
                raw.append('=').append(part.next(random));
            }
            raw.append(random.nextInt(5) == 0 ? "&&" : "&");
        }
        return raw.toString();
    }

    private static Set<String> union(Set<String> names, String name) {
        Set<String> all = new HashSet<>(names);
        all.add(name);
        return all;
    }
}
