package dev.trawl.core.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.error.Conflict;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.manage.CancelJob;
import dev.trawl.core.manage.LinkResult;
import dev.trawl.core.manage.ReadJobs;
import dev.trawl.core.manage.RemoveJobs;
import dev.trawl.core.metrics.JobMetrics;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.submit.CreateJob;
import dev.trawl.core.submit.RetryJob;
import dev.trawl.core.submit.Submitted;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.core.view.JobJson;
import dev.trawl.core.view.MetricsJson;
import dev.trawl.core.view.PartLinks;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.trawl.core.http.Requests.jobId;
import static dev.trawl.core.http.Requests.onlyQuery;
import static dev.trawl.core.http.Requests.single;

/** The {@code /v1/jobs} routes: each reads its request, calls its use case, and shapes the answer. */
final class JobRoutes {
    private static final int MAX_NAME_PREFIX = 256;
    private static final int DEFAULT_LIMIT = 50;
    private final CreateJob createJob;
    private final RetryJob retryJob;
    private final ReadJobs readJobs;
    private final CancelJob cancelJob;
    private final RemoveJobs removeJobs;
    private final LinkResult linkResult;
    private final Cursors cursors;
    private final DownloadLinks links;
    private final Clock clock;

    JobRoutes(CreateJob createJob, RetryJob retryJob, ReadJobs readJobs, CancelJob cancelJob, RemoveJobs removeJobs,
              LinkResult linkResult, Cursors cursors, DownloadLinks links, Clock clock) {
        this.createJob = createJob;
        this.retryJob = retryJob;
        this.readJobs = readJobs;
        this.cancelJob = cancelJob;
        this.removeJobs = removeJobs;
        this.linkResult = linkResult;
        this.cursors = cursors;
        this.links = links;
        this.clock = clock;
    }

    /** {@code POST /v1/jobs} */
    ApiResponse create(ApiRequest request) {
        onlyQuery(request, Set.of());
        return accepted(request, createJob.create(request.tenant(), CreateJobRequest.parse(request.body()),
                Requests.idempotency(request)));
    }

    /** {@code POST /v1/jobs/{id}/retry} */
    ApiResponse retry(ApiRequest request) {
        onlyQuery(request, Set.of());
        return accepted(request, retryJob.retry(request.tenant(), jobId(request), Requests.idempotency(request)));
    }

    /** The answer that creates a job is the only one to show its webhook secret. */
    private ApiResponse accepted(ApiRequest request, Submitted submitted) {
        ObjectNode body = json(request, submitted.job());
        if (submitted.webhookSecret() != null) {
            body.put("webhook_secret", submitted.webhookSecret());
        }
        return ApiResponse.json(202, body).withHeader("location", "/v1/jobs/" + submitted.job().id());
    }

    /** {@code GET /v1/jobs/{id}} */
    ApiResponse get(ApiRequest request) {
        onlyQuery(request, Set.of());
        return ApiResponse.json(200, json(request, existing(request)));
    }

    /** {@code GET /v1/jobs} */
    ApiResponse list(ApiRequest request) {
        onlyQuery(request, Set.of("limit", "cursor", "status", "name_prefix"));
        int limit = DEFAULT_LIMIT;
        String limitText = single(request, "limit");
        if (limitText != null) {
            // ASCII digits only: Integer.parseInt would also take "+5" and other scripts' digits ("٣")
            limit = limitText.matches("[0-9]{1,4}") ? Integer.parseInt(limitText) : -1;
            if (limit < 1 || limit > 1000) {
                throw new InvalidInput("limit", "limit must be a whole number from 1 to 1000.");
            }
        }
        List<String> statusValues = request.query().get("status");
        Set<JobStatus> statuses = statusValues == null ? null : StatusFilter.parse(statusValues);
        String namePrefix = single(request, "name_prefix");
        if (namePrefix != null && (namePrefix.isEmpty() || namePrefix.length() > MAX_NAME_PREFIX)) {
            throw new InvalidInput("name_prefix", "name_prefix must be 1 to " + MAX_NAME_PREFIX + " characters.");
        }
        String cursor = single(request, "cursor");
        String before = cursor == null ? null : cursors.decode(request.tenant(), cursor);
        JobStore.JobPage page = readJobs.list(request.tenant(), new JobStore.JobQuery(statuses, namePrefix, limit, before));
        ObjectNode body = Json.object();
        ArrayNode jobs = body.putArray("jobs");
        Instant now = clock.instant();
        PartLinks partLinks = links.under(Requests.apiBase(request));
        page.jobs().forEach(job -> jobs.add(JobJson.of(job, now, partLinks)));
        body.put("next_cursor", page.nextBeforeId() == null ? null : cursors.encode(request.tenant(), page.nextBeforeId()));
        return ApiResponse.json(200, body);
    }

    /** {@code POST /v1/jobs/{id}/cancel} */
    ApiResponse cancel(ApiRequest request) {
        onlyQuery(request, Set.of());
        return cancelled(request);
    }

    /** {@code DELETE /v1/jobs/{id}}: a cancel, or with {@code purge=true} a removal. */
    ApiResponse cancelOrRemove(ApiRequest request) {
        onlyQuery(request, Set.of("purge"));
        String purge = single(request, "purge");
        if (purge == null || purge.equals("false")) {
            return cancelled(request);
        }
        if (!purge.equals("true")) {
            throw new InvalidInput("purge", "purge must be true or false.");
        }
        String id = request.pathParameters().get("id");
        if (!Ids.isJobId(id)) {
            return ApiResponse.noContent();
        }
        return switch (removeJobs.remove(request.tenant(), id)) {
            case REMOVED, ABSENT -> ApiResponse.noContent();
            case ACTIVE -> throw new Conflict("job_active", "The job is not finished; cancel it first, then remove it.");
        };
    }

    private ApiResponse cancelled(ApiRequest request) {
        Job job = cancelJob.cancel(request.tenant(), jobId(request)).orElseThrow(Requests::noSuchJob);
        return ApiResponse.json(job.status().terminal() ? 200 : 202, json(request, job));
    }

    /** {@code DELETE /v1/jobs?status=…} */
    ApiResponse removeAll(ApiRequest request) {
        onlyQuery(request, Set.of("status"));
        List<String> values = request.query().get("status");
        if (values == null || values.isEmpty()) {
            throw new InvalidInput("status", "status is required: terminal, or a comma list of completed, failed, cancelled.");
        }
        Set<JobStatus> statuses = StatusFilter.parse(values);
        if (statuses == null || !StatusFilter.TERMINAL.containsAll(statuses)) {
            throw new InvalidInput("status", "Only terminal jobs can be removed: status must be terminal, or a comma list "
                    + "of completed, failed, cancelled.");
        }
        RemoveJobs.Removed removed = removeJobs.removeAll(request.tenant(), statuses);
        ObjectNode body = Json.object();
        body.put("deleted", removed.deleted());
        if (removed.more()) {
            body.put("more", true); // out of time: the same call again removes the rest
        }
        return ApiResponse.json(200, body);
    }

    /** {@code GET /v1/jobs/{id}/metrics} */
    ApiResponse metrics(ApiRequest request) {
        onlyQuery(request, Set.of());
        Job job = existing(request);
        JobMetrics metrics = readJobs.metrics(request.tenant(), job.id()).orElseThrow(Requests::noSuchJob);
        return ApiResponse.json(200, MetricsJson.of(job, metrics));
    }

    /** {@code GET /v1/jobs/{id}/results} */
    ApiResponse results(ApiRequest request) {
        onlyQuery(request, Set.of());
        String link = linkResult.link(request.tenant(), jobId(request)).toString();
        return new ApiResponse(302, Map.of("location", link), "");
    }

    /** The job object, its download links under the API the request came to. */
    private ObjectNode json(ApiRequest request, Job job) {
        return JobJson.of(job, clock.instant(), links.under(Requests.apiBase(request)));
    }

    Job existing(ApiRequest request) {
        return readJobs.find(request.tenant(), jobId(request)).orElseThrow(Requests::noSuchJob);
    }
}
