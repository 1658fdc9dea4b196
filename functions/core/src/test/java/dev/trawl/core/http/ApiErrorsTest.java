package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.testing.Failing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.request;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link HttpApi} answers before or beyond any one route: no caller is a 401 on every route, a route it does not
 * serve a 404, a malformed id a 404 without reaching the store, a body it cannot read a 400, and a failure of the
 * service a 500 that tells the client nothing and the log everything.
 */
class ApiErrorsTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** Every route served, and one that is not: a caller without a tenant learns neither apart. */
    /** Every route that takes an API key (a download link is its own credential), and one the API does not serve. */
    static List<String> everyRouteAndAnUnknownOne() {
        List<String> routes = new ArrayList<>(HttpApi.ROUTES);
        routes.removeAll(HttpApi.PUBLIC_ROUTES);
        routes.add("GET /nowhere");
        return routes;
    }

    @ParameterizedTest
    @MethodSource("everyRouteAndAnUnknownOne")
    void withoutATenantEveryRouteIsUnauthorized(String routeKey) throws Exception {
        ApiResponse response = api.handle(request(routeKey, Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"), Map.of(),
                BODY, null));
        JsonNode error = assertError(response, 401, "unauthorized");
        assertTrue(error.path("field").isMissingNode());
        api.assertNothingCreated();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATCH /v1/jobs/{id}", "PUT /v1/jobs", "GET /v1/uploads/{id}", "GET /v1/jobs/{id}/webhooks",
            "GET /", "$default"})
    void aRouteNotServedIsNotFound(String routeKey) throws Exception {
        assertError(api.handle(request(routeKey, Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"), Map.of(), null, TENANT_A)),
                404, "not_found");
        api.assertNothingCreated();
    }

    @Test
    void aRequestWithoutARouteKeyIsNotFound() throws Exception {
        assertError(api.handle(request(null, Map.of(), Map.of(), null, TENANT_A)), 404, "not_found");
    }

    @Test
    void aMalformedIdNeverReachesTheStore() throws Exception {
        JobStore failing = Failing.port(JobStore.class, () -> new AssertionError("the store was reached"));
        HttpApi strict = api.withJobStore(failing);
        assertError(strict.handle(request("GET /v1/jobs/{id}", Map.of("id", "job_x"), Map.of(), null, TENANT_A)),
                404, "not_found");
    }

    /** Found by ApiFuzzTest: a number Jackson cannot hold escaped as a NumberFormatException and answered 500. */
    @Test
    void aNumberWithAnExponentPastIntIsA400OnEveryJsonBody() throws Exception {
        assertInvalid(api.post("{\"input\": {\"urls\": [-1e-2147483649]}}", TENANT_A), null);
        assertInvalid(api.handle(request("POST /v1/uploads", Map.of(), Map.of(),
                "{\"filename\": \"urls.txt\", \"size\": 1e-2147483649}", TENANT_A)), null);
        api.assertNothingCreated();
    }

    @Test
    void aServiceFailureIsA500WithoutDetails() throws Exception {
        JobStore onFire = Failing.port(JobStore.class, () -> new IllegalStateException("table is on fire"));
        HttpApi broken = api.withJobStore(onFire);

        ApiResponse response = broken.handle(request("GET /v1/jobs/{id}", Map.of("id", "job_01JD3F2D1A77B0E1XYZ0000000"),
                Map.of(), null, TENANT_A));

        assertError(response, 500, "internal_error");
        assertFalse(response.body().contains("table is on fire"), response.body());
        assertTrue(api.logs().contains("table is on fire"), "the cause is logged");
    }
}
