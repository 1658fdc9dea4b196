package dev.trawl.core.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.error.NotFound;
import dev.trawl.core.intake.CreateUpload;
import dev.trawl.core.intake.ReadUploads;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.util.Ids;
import dev.trawl.core.view.JobJson;
import dev.trawl.core.view.UploadJson;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.trawl.core.http.Requests.onlyQuery;
import static dev.trawl.core.http.Requests.single;

/** The {@code /v1/uploads} routes. */
final class UploadRoutes {
    private final CreateUpload createUpload;
    private final ReadUploads readUploads;

    UploadRoutes(CreateUpload createUpload, ReadUploads readUploads) {
        this.createUpload = createUpload;
        this.readUploads = readUploads;
    }

    /** {@code POST /v1/uploads}: JSON asks for a signed link; a text, NDJSON or CSV body is the file itself. */
    ApiResponse create(ApiRequest request) {
        String contentType = request.header("content-type");
        // With a limit, split keeps its one (empty) element for a value of parameters alone, such as ";".
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json")) {
            onlyQuery(request, Set.of());
            SignedUploadRequest ask = SignedUploadRequest.parse(request.body());
            CreateUpload.Signed signed = createUpload.createSigned(request.tenant(), ask.filename(), ask.size());
            ObjectNode body = UploadJson.of(signed.upload());
            body.put("upload_url", signed.uploadUrl().toString());
            JobJson.time(body, "upload_url_expires_at", signed.expiresAt());
            body.put("max_bytes", Upload.MAX_BYTES);
            return ApiResponse.json(201, body).withHeader("location", "/v1/uploads/" + signed.upload().id());
        }
        String extension = switch (type) {
            case "text/plain" -> ".txt";
            case "application/x-ndjson" -> ".ndjson";
            case "text/csv" -> ".csv";
            default -> throw new ApiError(415, "unsupported_media_type", "Send application/json to ask for a signed "
                    + "upload link, or the file itself as text/plain, application/x-ndjson or text/csv.", null);
        };
        onlyQuery(request, Set.of("filename"));
        String filename = single(request, "filename");
        if (filename == null) {
            filename = "upload" + extension;
        } else if (!SignedUploadRequest.FILENAME.matcher(filename).matches()) {
            throw new InvalidInput("filename", "filename must be 1 to 255 characters, without '/' or control characters.");
        }
        byte[] content = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        Upload upload = createUpload.createDirect(request.tenant(), filename, content, contentType);
        return ApiResponse.json(201, UploadJson.of(upload)).withHeader("location", "/v1/uploads/" + upload.id());
    }

    /** {@code GET /v1/uploads/{id}} */
    ApiResponse get(ApiRequest request) {
        onlyQuery(request, Set.of());
        String id = request.pathParameters().get("id");
        Upload upload = (Ids.isUploadId(id) ? readUploads.find(request.tenant(), id) : Optional.<Upload>empty())
                .orElseThrow(() -> new NotFound("No upload with this id."));
        return ApiResponse.json(200, UploadJson.of(upload));
    }
}
