package dev.trawl.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /docs}: the repository's openapi.yaml in Swagger UI, served without a key and without the network. */
@ExtendWith(LocalStackExtension.class)
class DocsSiteTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The path exactly as written, so that neither URI resolution nor the client tidies a traversal away. */
    private static HttpResponse<byte[]> get(LocalRuntime runtime, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.apiUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type").orElse("");
    }

    @Test
    void thePageLoadsSwaggerUiAndPointsItAtOurOpenApi(LocalRuntime runtime) throws Exception {
        for (String path : List.of("/docs", "/docs/")) {
            HttpResponse<byte[]> page = get(runtime, path);
            assertEquals(200, page.statusCode(), path);
            assertTrue(contentType(page).startsWith("text/html"), contentType(page));
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertTrue(html.contains("/docs/swagger-ui-bundle.js"), html);
            assertTrue(html.contains("/docs/openapi.yaml"), html);
        }
    }

    @Test
    void swaggerUisFilesComeFromTheWebJar(LocalRuntime runtime) throws Exception {
        HttpResponse<byte[]> bundle = get(runtime, "/docs/swagger-ui-bundle.js");
        assertEquals(200, bundle.statusCode());
        assertTrue(contentType(bundle).startsWith("application/javascript"), contentType(bundle));
        assertTrue(bundle.body().length > 100_000, "swagger-ui-bundle.js of " + bundle.body().length + " bytes");
        HttpResponse<byte[]> css = get(runtime, "/docs/swagger-ui.css");
        assertEquals(200, css.statusCode());
        assertTrue(contentType(css).startsWith("text/css"), contentType(css));
    }

    @Test
    void theDescriptionIsTheRepositorysOpenApiYaml(LocalRuntime runtime) throws Exception {
        HttpResponse<byte[]> yaml = get(runtime, "/docs/openapi.yaml");
        assertEquals(200, yaml.statusCode());
        assertTrue(contentType(yaml).startsWith("application/yaml"), contentType(yaml));
        assertArrayEquals(Files.readAllBytes(LocalStackExtension.template().resolveSibling("openapi.yaml")), yaml.body());
    }

    @Test
    void missingFilesAndTraversalsAreNotFound(LocalRuntime runtime) throws Exception {
        for (String path : List.of("/docs/no-such-file.js", "/docs/swagger-ui.css/x", "/docs/.hidden",
                "/docs/../pom.xml", "/docs/..%2F..%2F..%2F..%2F..%2Flogback.xml",
                "/docs/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2flogback.xml", "/docs/..%2F..%2Ftemplate.yaml",
                "/docs//etc/passwd", "/docs/%2Fetc%2Fpasswd")) {
            assertEquals(404, get(runtime, path).statusCode(), path);
        }
        // A path that climbs above the root is no path at all: the gateway's HTTP server refuses it.
        HttpResponse<byte[]> above = get(runtime, "/docs/%2e%2e/%2e%2e/pom.xml");
        assertEquals(400, above.statusCode());
        assertTrue(new String(above.body(), StandardCharsets.UTF_8).contains("\"invalid_request\""));
    }

    @Test
    void theApiStillWantsAKey(LocalRuntime runtime) throws Exception {
        assertEquals(401, get(runtime, "/v1/jobs").statusCode());
    }
}
