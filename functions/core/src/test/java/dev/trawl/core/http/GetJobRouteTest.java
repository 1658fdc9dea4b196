package dev.trawl.core.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.assertInvalid;
import static dev.trawl.core.http.ApiFixture.json;
import static dev.trawl.core.http.ApiFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /v1/jobs/{id}}: the job reads back as the answer that created it; an id that is missing or malformed
 * is a 404, and a query parameter a 400.
 */
class GetJobRouteTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void theCreatedJobReadsBackAsAnsweredAtCreation() throws Exception {
        ApiResponse created = api.post(BODY, TENANT_A);
        String id = json(created).get("id").textValue();

        ApiResponse read = api.get(id, TENANT_A);

        assertEquals(200, read.status());
        assertEquals(json(created), json(read));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "job_", "job_123", "upl_01JD3F2D1A77B0E1XYZ0000000", "job_01jd3f2d1a77b0e1xyz0000000",
            "job_01JD3F2D1A77B0E1XYZ00000000", "../job_01JD3F2D1A77B0E1XYZ0000000", "job_01JD3F2D1A77B0E1XYZ000000%",
            "job_01JD3F2D1A77B0E1XYZ000000\n"})
    void aMalformedIdIsNotFound(String id) throws Exception {
        assertError(api.get(id, TENANT_A), 404, "not_found");
    }

    @Test
    void aMissingIdIsNotFound() throws Exception {
        assertError(api.get(null, TENANT_A), 404, "not_found");
    }

    @Test
    void getWithAQueryParameterIsA400() throws Exception {
        String id = api.createdId(TENANT_A);
        ApiResponse response = api.handle(request("GET /v1/jobs/{id}", Map.of("id", id), Map.of("verbose", List.of("1")),
                null, TENANT_A));
        assertInvalid(response, "verbose");
    }
}
