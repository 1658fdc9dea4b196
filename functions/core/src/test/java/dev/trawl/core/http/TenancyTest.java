package dev.trawl.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.trawl.core.http.ApiFixture.BODY;
import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.TENANT_B;
import static dev.trawl.core.http.ApiFixture.assertError;
import static dev.trawl.core.http.ApiFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant sees only its own: another tenant's job answers exactly as a missing one, and Idempotency-Keys are the
 * tenant's own. Each route's test checks its own answer to another tenant's id as well.
 */
class TenancyTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    @Test
    void anotherTenantsJobIsNotFoundExactlyLikeAMissingOne() throws Exception {
        String id = api.createdId(TENANT_A);

        ApiResponse theirs = api.get(id, TENANT_B);
        ApiResponse missing = api.get("job_01JD3F2D1A77B0E1XYZ0000000", TENANT_B);

        JsonNode error = assertError(theirs, 404, "not_found");
        assertTrue(error.path("field").isMissingNode());
        assertEquals(missing.status(), theirs.status());
        assertEquals(missing.body(), theirs.body());
        assertEquals(missing.headers(), theirs.headers());
        assertEquals(200, api.get(id, TENANT_A).status());
    }

    @Test
    void keysAreTheTenantsOwn() throws Exception {
        String a = json(api.postWithKey(BODY, "shared", TENANT_A)).get("id").textValue();
        ApiResponse b = api.postWithKey(BODY.replace("nightly", "theirs"), "shared", TENANT_B);

        assertEquals(202, b.status(), b.body());
        assertNotEquals(a, json(b).get("id").textValue());
        assertEquals(2, api.jobs.size());
    }
}
