package dev.trawl.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.util.Json;
import dev.trawl.core.util.Log;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The HTTP API: the route key picks the use case; every failure answers in the contract's error form. */
public final class JobsApi {
    private static final Log LOG = Log.of("api");
    private static final Pattern JOB_ID = Pattern.compile("job_[0-9A-Z]{26}");
    private final JobService service;
    private final Cursors cursors;

    public JobsApi(JobService service, Cursors cursors) {
        this.service = service;
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
                case "GET /v1/jobs/{id}" -> get(request);
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
        Job job = service.create(request.tenant(), CreateJobRequest.parse(request.body()));
        return ApiResponse.json(202, JobJson.of(job)).withHeader("location", "/v1/jobs/" + job.id());
    }

    private ApiResponse get(ApiRequest request) {
        noQuery(request, Set.of());
        String id = request.pathParameters().get("id");
        Job job = (id != null && JOB_ID.matcher(id).matches() ? service.find(request.tenant(), id) : java.util.Optional.<Job>empty())
                .orElseThrow(() -> ApiError.notFound("No job with this id."));
        return ApiResponse.json(200, JobJson.of(job));
    }

    private ApiResponse list(ApiRequest request) {
        noQuery(request, Set.of("limit", "cursor"));
        int limit = 50;
        String limitText = single(request, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw ApiError.invalid("limit", "limit must be a whole number from 1 to 1000.");
            }
        }
        String cursor = single(request, "cursor");
        String after = cursor == null ? null : cursors.decode(request.tenant(), cursor);
        JobStore.JobPage page = service.list(request.tenant(), limit, after);
        ObjectNode body = Json.object();
        ArrayNode jobs = body.putArray("jobs");
        page.jobs().forEach(job -> jobs.add(JobJson.of(job)));
        body.put("next_cursor", page.lastJobId() == null ? null : cursors.encode(request.tenant(), page.lastJobId()));
        return ApiResponse.json(200, body);
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
        for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
            if (!allowed.contains(parameter.getKey())) {
                String name = parameter.getKey();
                throw ApiError.invalid(name, "Unknown query parameter '" + name + "'.");
            }
        }
    }
}
