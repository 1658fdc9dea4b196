package dev.trawl.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.upload.Upload;
import dev.trawl.core.upload.UploadJson;
import dev.trawl.core.upload.UploadService;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;
import dev.trawl.core.webhook.WebhookDelivery;
import dev.trawl.core.webhook.WebhookEvent;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The HTTP API: the route key picks the use case; every failure answers in the contract's error form. */
public final class JobsApi {
    private static final Log LOG = Log.of("api");
    private static final Pattern JOB_ID = Pattern.compile("job_[0-9A-Z]{26}");
    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final int MAX_NAME_PREFIX = 256;
    private static final Set<JobStatus> ACTIVE = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING);
    private static final Set<JobStatus> TERMINAL = EnumSet.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);

    /** Every route this API serves, as API Gateway route keys; template.yaml and openapi.yaml list the same. */
    public static final Set<String> ROUTES = Set.of(
            "POST /v1/jobs", "GET /v1/jobs", "DELETE /v1/jobs",
            "GET /v1/jobs/{id}", "DELETE /v1/jobs/{id}",
            "POST /v1/jobs/{id}/cancel", "POST /v1/jobs/{id}/retry",
            "GET /v1/jobs/{id}/metrics", "GET /v1/jobs/{id}/results",
            "GET /v1/jobs/{id}/webhook-deliveries", "POST /v1/jobs/{id}/webhook-deliveries/redeliver",
            "POST /v1/uploads", "GET /v1/uploads/{id}");

    private static final Pattern UPLOAD_ID = Pattern.compile("upl_[0-9A-Z]{26}");
    private final JobService service;
    private final UploadService uploads;
    private final Cursors cursors;

    public JobsApi(JobService service, UploadService uploads, Cursors cursors) {
        this.service = service;
        this.uploads = uploads;
        this.cursors = cursors;
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            if (request.tenant() == null) {
                throw ApiError.unauthorized();
            }
            return switch (String.valueOf(request.routeKey())) {
                case "POST /v1/jobs" -> create(request);
                case "GET /v1/jobs" -> list(request);
                case "DELETE /v1/jobs" -> removeAll(request);
                case "GET /v1/jobs/{id}" -> get(request);
                case "DELETE /v1/jobs/{id}" -> cancelOrRemove(request);
                case "POST /v1/jobs/{id}/cancel" -> cancel(request);
                case "POST /v1/jobs/{id}/retry" -> retry(request);
                case "GET /v1/jobs/{id}/metrics" -> metrics(request);
                case "GET /v1/jobs/{id}/results" -> results(request);
                case "GET /v1/jobs/{id}/webhook-deliveries" -> deliveries(request);
                case "POST /v1/jobs/{id}/webhook-deliveries/redeliver" -> redeliver(request);
                case "POST /v1/uploads" -> createUpload(request);
                case "GET /v1/uploads/{id}" -> getUpload(request);
                default -> throw ApiError.notFound("No such route.");
            };
        } catch (ApiError e) {
            return ApiResponse.error(e);
        } catch (RuntimeException e) {
            LOG.error(null, "request failed", e, "route", request.routeKey());
            return ApiResponse.error(new ApiError(500, "internal_error", "The service failed; try again.", null));
        }
    }

    private ApiResponse create(ApiRequest request) {
        noQuery(request, Set.of());
        JobService.Idempotency idempotency = idempotency(request);
        Job job = service.create(request.tenant(), CreateJobRequest.parse(request.body()), idempotency);
        return accepted(job);
    }

    /** The answer that creates a job is the only one to show its webhook secret. */
    private ApiResponse accepted(Job job) {
        ObjectNode body = JobJson.of(job, service.now());
        if (job.settings().webhook() != null) {
            body.put("webhook_secret", job.settings().webhook().secret());
        }
        return ApiResponse.json(202, body).withHeader("location", "/v1/jobs/" + job.id());
    }

    private ApiResponse deliveries(ApiRequest request) {
        noQuery(request, Set.of());
        Job job = existing(request);
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("deliveries");
        for (WebhookDelivery delivery : service.deliveries(job)) {
            ObjectNode d = list.addObject();
            d.put("event_id", delivery.eventId());
            d.put("type", delivery.type());
            d.put("attempt", delivery.attempt());
            d.put("at", delivery.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            if (delivery.httpStatus() == null) {
                d.putNull("http_status");
            } else {
                d.put("http_status", delivery.httpStatus());
            }
            d.put("latency_ms", delivery.latencyMs());
            d.put("error", delivery.error());
        }
        return ApiResponse.json(200, body);
    }

    private ApiResponse redeliver(ApiRequest request) {
        noQuery(request, Set.of());
        Job job = existing(request);
        ObjectNode body = Json.object();
        body.put("event_id", service.redeliver(job));
        body.put("type", WebhookEvent.type(job));
        return ApiResponse.json(202, body);
    }

    private ApiResponse get(ApiRequest request) {
        noQuery(request, Set.of());
        return ApiResponse.json(200, JobJson.of(service.withFreshLinks(existing(request)), service.now()));
    }

    private ApiResponse cancel(ApiRequest request) {
        noQuery(request, Set.of());
        return cancelled(request);
    }

    private ApiResponse cancelled(ApiRequest request) {
        Job job = service.cancel(request.tenant(), jobId(request)).orElseThrow(JobsApi::noSuchJob);
        return ApiResponse.json(job.status().terminal() ? 200 : 202, JobJson.of(service.withFreshLinks(job), service.now()));
    }

    private ApiResponse cancelOrRemove(ApiRequest request) {
        noQuery(request, Set.of("purge"));
        String purge = single(request, "purge");
        if (purge == null || purge.equals("false")) {
            return cancelled(request);
        }
        if (!purge.equals("true")) {
            throw ApiError.invalid("purge", "purge must be true or false.");
        }
        String id = request.pathParameters().get("id");
        if (id == null || !JOB_ID.matcher(id).matches()) {
            return new ApiResponse(204, Map.of(), "");
        }
        return switch (service.purge(request.tenant(), id)) {
            case REMOVED, ABSENT -> new ApiResponse(204, Map.of(), "");
            case ACTIVE -> throw new ApiError(409, "job_active", "The job is not finished; cancel it first, then remove it.", null);
        };
    }

    private ApiResponse removeAll(ApiRequest request) {
        noQuery(request, Set.of("status"));
        List<String> values = request.query().get("status");
        if (values == null || values.isEmpty()) {
            throw ApiError.invalid("status", "status is required: terminal, or a comma list of completed, failed, cancelled.");
        }
        Set<JobStatus> statuses = statuses(values);
        if (statuses == null || !TERMINAL.containsAll(statuses)) {
            throw ApiError.invalid("status", "Only terminal jobs can be removed: status must be terminal, or a comma list "
                    + "of completed, failed, cancelled.");
        }
        ObjectNode body = Json.object();
        body.put("deleted", service.purgeAll(request.tenant(), statuses));
        return ApiResponse.json(200, body);
    }

    private ApiResponse retry(ApiRequest request) {
        noQuery(request, Set.of());
        String id = jobId(request);
        Job job = service.retry(request.tenant(), id, idempotency(request));
        return accepted(job);
    }

    private ApiResponse metrics(ApiRequest request) {
        noQuery(request, Set.of());
        Job job = existing(request);
        JobMetrics metrics = service.metrics(request.tenant(), job.id()).orElseThrow(JobsApi::noSuchJob);
        return ApiResponse.json(200, MetricsJson.of(job, metrics));
    }

    private ApiResponse results(ApiRequest request) {
        noQuery(request, Set.of());
        String link = service.resultLink(request.tenant(), jobId(request)).toString();
        return new ApiResponse(302, Map.of("location", link), "");
    }

    private ApiResponse createUpload(ApiRequest request) {
        String contentType = request.header("content-type");
        // With a limit, split keeps its one (empty) element for a value of parameters alone, such as ";".
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json")) {
            noQuery(request, Set.of());
            SignedUploadRequest ask = SignedUploadRequest.parse(request.body());
            UploadService.Signed signed = uploads.createSigned(request.tenant(), ask.filename(), ask.size());
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
        noQuery(request, Set.of("filename"));
        String filename = single(request, "filename");
        if (filename == null) {
            filename = "upload" + extension;
        } else if (!SignedUploadRequest.FILENAME.matcher(filename).matches()) {
            throw ApiError.invalid("filename", "filename must be 1 to 255 characters, without '/' or control characters.");
        }
        byte[] content = request.body() == null ? new byte[0] : request.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Upload upload = uploads.createDirect(request.tenant(), filename, content, contentType);
        return ApiResponse.json(201, UploadJson.of(upload)).withHeader("location", "/v1/uploads/" + upload.id());
    }

    private ApiResponse getUpload(ApiRequest request) {
        noQuery(request, Set.of());
        String id = request.pathParameters().get("id");
        Upload upload = (id != null && UPLOAD_ID.matcher(id).matches() ? uploads.find(request.tenant(), id)
                : java.util.Optional.<Upload>empty()).orElseThrow(() -> ApiError.notFound("No upload with this id."));
        return ApiResponse.json(200, UploadJson.of(upload));
    }

    private ApiResponse list(ApiRequest request) {
        noQuery(request, Set.of("limit", "cursor", "status", "name_prefix"));
        int limit = 50;
        String limitText = single(request, "limit");
        if (limitText != null) {
            // ASCII digits only: Integer.parseInt would also take "+5" and other scripts' digits ("٣")
            limit = limitText.matches("[0-9]{1,4}") ? Integer.parseInt(limitText) : -1;
            if (limit < 1 || limit > 1000) {
                throw ApiError.invalid("limit", "limit must be a whole number from 1 to 1000.");
            }
        }
        Set<JobStatus> statuses = null;
        List<String> statusValues = request.query().get("status");
        if (statusValues != null) {
            statuses = statuses(statusValues);
        }
        String namePrefix = single(request, "name_prefix");
        if (namePrefix != null && (namePrefix.isEmpty() || namePrefix.length() > MAX_NAME_PREFIX)) {
            throw ApiError.invalid("name_prefix", "name_prefix must be 1 to " + MAX_NAME_PREFIX + " characters.");
        }
        String cursor = single(request, "cursor");
        String before = cursor == null ? null : cursors.decode(request.tenant(), cursor);
        JobStore.JobPage page = service.list(request.tenant(), new JobStore.JobQuery(statuses, namePrefix, limit, before));
        Instant now = service.now();
        ObjectNode body = Json.object();
        ArrayNode jobs = body.putArray("jobs");
        page.jobs().forEach(job -> jobs.add(JobJson.of(service.withFreshLinks(job), now)));
        body.put("next_cursor", page.nextBeforeId() == null ? null : cursors.encode(request.tenant(), page.nextBeforeId()));
        return ApiResponse.json(200, body);
    }

    /**
     * {@code status} values, comma lists and repeats alike, as a set of states; {@code all} gives null (no filter).
     */
    static Set<JobStatus> statuses(List<String> values) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        boolean all = false;
        for (String value : values) {
            for (String word : value.split(",", -1)) {
                String w = word.strip().toLowerCase(Locale.ROOT);
                switch (w) {
                    case "all" -> all = true;
                    case "active" -> statuses.addAll(ACTIVE);
                    case "terminal" -> statuses.addAll(TERMINAL);
                    default -> {
                        try {
                            statuses.add(JobStatus.fromWire(w));
                        } catch (IllegalArgumentException e) {
                            throw ApiError.invalid("status", "Unknown status '" + word + "': use queued, running, "
                                    + "cancelling, completed, failed, cancelled, active, terminal or all.");
                        }
                    }
                }
            }
        }
        return all || statuses.size() == JobStatus.values().length ? null : statuses;
    }

    private Job existing(ApiRequest request) {
        return service.find(request.tenant(), jobId(request)).orElseThrow(JobsApi::noSuchJob);
    }

    /** The path's job id; a malformed one can name no job, so it answers as an unknown one does. */
    private static String jobId(ApiRequest request) {
        String id = request.pathParameters().get("id");
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw noSuchJob();
        }
        return id;
    }

    private static ApiError noSuchJob() {
        return ApiError.notFound("No job with this id.");
    }

    private static JobService.Idempotency idempotency(ApiRequest request) {
        String key = request.header("idempotency-key");
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw ApiError.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters.");
        }
        return JobService.Idempotency.of(key, request.routeKey() + " " + request.pathParameters(), request.body());
    }

    private static String single(ApiRequest request, String name) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.invalid(name, name + " may be given once.");
        }
        return values.getFirst();
    }

    /** A query parameter this route does not take is refused, so that a typo never goes unnoticed. */
    private static void noQuery(ApiRequest request, Set<String> allowed) {
        for (String name : request.query().keySet()) {
            if (!allowed.contains(name)) {
                throw ApiError.invalid(name, "Unknown query parameter '" + name + "'.");
            }
        }
    }
}
