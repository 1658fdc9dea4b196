package dev.trawl.core.http;

import dev.trawl.core.error.NotFound;
import dev.trawl.core.error.Refusal;
import dev.trawl.core.intake.CreateUpload;
import dev.trawl.core.intake.ReadUploads;
import dev.trawl.core.limits.RequestRate;
import dev.trawl.core.limits.TenantSettingsCache;
import dev.trawl.core.manage.CancelJob;
import dev.trawl.core.manage.DownloadResult;
import dev.trawl.core.manage.LinkResult;
import dev.trawl.core.manage.ReadJobs;
import dev.trawl.core.manage.RemoveJobs;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.port.BlobStore;
import dev.trawl.core.port.ChunkLedger;
import dev.trawl.core.port.ExternalObjects;
import dev.trawl.core.port.IdempotencyKeys;
import dev.trawl.core.port.JobRemoval;
import dev.trawl.core.port.JobStore;
import dev.trawl.core.port.PurgeRequests;
import dev.trawl.core.port.RequestBuckets;
import dev.trawl.core.port.Secrets;
import dev.trawl.core.port.UploadStore;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.port.WorkQueue;
import dev.trawl.core.submit.CreateJob;
import dev.trawl.core.submit.RetryJob;
import dev.trawl.core.util.Log;
import dev.trawl.core.webhook.RedeliverEvent;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The HTTP API: the route key picks the route, the route calls its use case; every failure answers in the contract's
 * error form, and a client's mistake never as a {@code 5xx}.
 */
public final class HttpApi {
    private static final Log LOG = Log.of("api");
    private final Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();
    private final RequestRate rate;

    /** Every route this API serves, as API Gateway route keys; template.yaml and openapi.yaml list the same. */
    public static final Set<String> ROUTES = Set.of(
            "POST /v1/jobs", "GET /v1/jobs", "DELETE /v1/jobs",
            "GET /v1/jobs/{id}", "DELETE /v1/jobs/{id}",
            "POST /v1/jobs/{id}/cancel", "POST /v1/jobs/{id}/retry",
            "GET /v1/jobs/{id}/metrics", "GET /v1/jobs/{id}/results",
            "GET /v1/jobs/{id}/webhook-deliveries", "POST /v1/jobs/{id}/webhook-deliveries/redeliver",
            "POST /v1/uploads", "GET /v1/uploads/{id}", "GET /v1/results/{token}");

    /** Routes that need no API key: a download link is its own credential. */
    public static final Set<String> PUBLIC_ROUTES = Set.of("GET /v1/results/{token}");

    HttpApi(JobRoutes jobs, UploadRoutes uploads, DeliveryRoutes deliveries, DownloadRoutes downloads) {
        this(jobs, uploads, deliveries, downloads, null);
    }

    /** @param rate every authenticated request takes a token of its tenant's bucket (null: no request rate) */
    HttpApi(JobRoutes jobs, UploadRoutes uploads, DeliveryRoutes deliveries, DownloadRoutes downloads, RequestRate rate) {
        this.rate = rate;
        routes.put("POST /v1/jobs", jobs::create);
        routes.put("GET /v1/jobs", jobs::list);
        routes.put("DELETE /v1/jobs", jobs::removeAll);
        routes.put("GET /v1/jobs/{id}", jobs::get);
        routes.put("DELETE /v1/jobs/{id}", jobs::cancelOrRemove);
        routes.put("POST /v1/jobs/{id}/cancel", jobs::cancel);
        routes.put("POST /v1/jobs/{id}/retry", jobs::retry);
        routes.put("GET /v1/jobs/{id}/metrics", jobs::metrics);
        routes.put("GET /v1/jobs/{id}/results", jobs::results);
        routes.put("GET /v1/jobs/{id}/webhook-deliveries", deliveries::list);
        routes.put("POST /v1/jobs/{id}/webhook-deliveries/redeliver", deliveries::redeliver);
        routes.put("POST /v1/uploads", uploads::create);
        routes.put("GET /v1/uploads/{id}", uploads::get);
        routes.put("GET /v1/results/{token}", downloads::download);
        if (!routes.keySet().equals(ROUTES)) {
            throw new IllegalStateException("the routes served differ from ROUTES");
        }
    }

    /**
     * Where and how the API runs, beside its ports.
     *
     * @param serviceBucket  the service's own bucket, of which a tenant may name only its own upload prefix
     * @param serviceAccount the service's AWS account, whose roles no tenant may name as {@code role_arn}
     * @param cursors        signs and reads list cursors
     * @param links          signs and reads the download links the API hands out
     */
    public record Settings(String serviceBucket, String serviceAccount, Cursors cursors, DownloadLinks links, Clock clock) {
    }

    /**
     * The API over the service's ports, every use case built once.
     *
     * @param external reads clients' buckets for {@code s3_uri} inputs (null: such inputs are refused)
     */
    public static HttpApi over(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, WebhookDeliveries deliveries,
                               UploadStore uploads, BlobStore blobs, WorkQueue queue, ExternalObjects external,
                               Secrets secrets, Settings settings) {
        return over(jobs, ledger, keys, deliveries, uploads, blobs, queue, external, secrets, settings, null);
    }

    /**
     * A tenant's limits: its settings (cached per container) and its request buckets.
     *
     * @param tenants the tenants' settings, whose limits apply
     * @param buckets the tenants' request buckets
     */
    public record Limits(TenantSettingsCache tenants, RequestBuckets buckets) {
    }

    /** @param limits the tenants' request rates and ceilings (null: none, as in tests of other things) */
    public static HttpApi over(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, WebhookDeliveries deliveries,
                               UploadStore uploads, BlobStore blobs, WorkQueue queue, ExternalObjects external,
                               Secrets secrets, Settings settings, Limits limits) {
        return over(jobs, ledger, keys, deliveries, uploads, blobs, queue, external, secrets, settings, limits, null);
    }

    /**
     * How removed jobs go: the record in the request, the files and the rest through the purge queue.
     *
     * @param records removes a job's record alone, and later what is kept beside it
     * @param purges  the purge queue
     */
    public record Purging(JobRemoval records, PurgeRequests purges) {
    }

    /** @param purging removed jobs' files queued (null: removed in the request, as in tests of other things) */
    public static HttpApi over(JobStore jobs, ChunkLedger ledger, IdempotencyKeys keys, WebhookDeliveries deliveries,
                               UploadStore uploads, BlobStore blobs, WorkQueue queue, ExternalObjects external,
                               Secrets secrets, Settings settings, Limits limits, Purging purging) {
        Clock clock = settings.clock();
        TenantSettingsCache tenants = limits == null ? null : limits.tenants();
        Cursors cursors = settings.cursors();
        DownloadLinks links = settings.links();
        ReadJobs readJobs = new ReadJobs(jobs, ledger, deliveries);
        return new HttpApi(
                new JobRoutes(new CreateJob(jobs, keys, uploads, blobs, queue, secrets, clock, external,
                        settings.serviceBucket(), settings.serviceAccount(), tenants),
                        new RetryJob(jobs, keys, blobs, queue, secrets, clock, tenants), readJobs, new CancelJob(jobs, clock),
                        purging == null ? new RemoveJobs(jobs, blobs)
                                : new RemoveJobs(jobs, blobs, purging.records(), purging.purges(), clock),
                        new LinkResult(jobs, blobs), cursors, links, clock),
                new UploadRoutes(new CreateUpload(uploads, blobs, clock), new ReadUploads(uploads)),
                new DeliveryRoutes(readJobs, new RedeliverEvent(deliveries, queue, clock)),
                new DownloadRoutes(new DownloadResult(jobs, blobs, links, clock)),
                limits == null ? null : new RequestRate(limits.buckets(), tenants, clock));
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            String routeKey = String.valueOf(request.routeKey());
            if (request.tenant() == null && !PUBLIC_ROUTES.contains(routeKey)) {
                throw ApiError.unauthorized();
            }
            if (request.tenant() != null && rate != null) {
                rate.admit(request.tenant()); // before routing: an unknown route costs a token too
            }
            Function<ApiRequest, ApiResponse> route = routes.get(routeKey);
            if (route == null) {
                throw new NotFound("No such route.");
            }
            return route.apply(request);
        } catch (Refusal e) {
            return ApiResponse.error(e);
        } catch (ApiError e) {
            return ApiResponse.error(e);
        } catch (RuntimeException e) {
            LOG.error(null, "request failed", e, "route", request.routeKey());
            return ApiResponse.error(new ApiError(500, "internal_error", "The service failed; try again.", null));
        }
    }
}
