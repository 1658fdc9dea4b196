package dev.trawl.core.http;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.trawl.core.http.ApiFixture.TENANT_A;
import static dev.trawl.core.http.ApiFixture.assertError;

/**
 * {@code POST /v1/uploads}: a Content-Type that names no type is refused as unsupported and stores nothing. The rest
 * of the uploads routes is {@link ApiFuzzTest}'s (any type and body answered without a 5xx, valid uploads created)
 * and {@link ApiErrorsTest}'s (a number past int in the JSON body).
 */
class UploadRoutesTest {
    @RegisterExtension
    final ApiFixture api = new ApiFixture();

    /** Found by ApiFuzzTest: a Content-Type of parameters alone split into no element at all and answered 500. */
    @ParameterizedTest
    @ValueSource(strings = {";", ";;", "; charset=utf-8", ""})
    void anUploadWithAContentTypeWithoutATypeIsUnsupported(String contentType) throws Exception {
        ApiResponse response = api.handle(new ApiRequest("POST /v1/uploads", Map.of(), Map.of(),
                Map.of("content-type", contentType), "https://example.com/a\n", TENANT_A));

        assertError(response, 415, "unsupported_media_type");
        api.assertNothingCreated();
    }
}
