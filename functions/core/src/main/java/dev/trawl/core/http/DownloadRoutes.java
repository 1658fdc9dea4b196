package dev.trawl.core.http;

import dev.trawl.core.manage.DownloadResult;

import java.util.Map;
import java.util.Set;

import static dev.trawl.core.http.Requests.onlyQuery;

/** {@code GET /v1/results/{token}}: a download link, followed without an API key (the token is the credential). */
final class DownloadRoutes {
    private final DownloadResult downloadResult;

    DownloadRoutes(DownloadResult downloadResult) {
        this.downloadResult = downloadResult;
    }

    ApiResponse download(ApiRequest request) {
        onlyQuery(request, Set.of());
        String link = downloadResult.storageLink(request.pathParameters().get("token")).toString();
        return new ApiResponse(302, Map.of("location", link, "cache-control", "no-store"), "");
    }
}
