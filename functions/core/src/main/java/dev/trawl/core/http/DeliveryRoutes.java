package dev.trawl.core.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.job.Job;
import dev.trawl.core.manage.ReadJobs;
import dev.trawl.core.util.Json;
import dev.trawl.core.view.DeliveriesJson;
import dev.trawl.core.webhook.RedeliverEvent;
import dev.trawl.core.webhook.WebhookEvent;

import java.util.Set;

import static dev.trawl.core.http.Requests.jobId;
import static dev.trawl.core.http.Requests.onlyQuery;

/** The {@code /v1/jobs/{id}/webhook-deliveries} routes. */
final class DeliveryRoutes {
    private final ReadJobs readJobs;
    private final RedeliverEvent redeliverEvent;

    DeliveryRoutes(ReadJobs readJobs, RedeliverEvent redeliverEvent) {
        this.readJobs = readJobs;
        this.redeliverEvent = redeliverEvent;
    }

    /** {@code GET /v1/jobs/{id}/webhook-deliveries} */
    ApiResponse list(ApiRequest request) {
        onlyQuery(request, Set.of());
        return ApiResponse.json(200, DeliveriesJson.of(readJobs.deliveries(existing(request))));
    }

    /** {@code POST /v1/jobs/{id}/webhook-deliveries/redeliver} */
    ApiResponse redeliver(ApiRequest request) {
        onlyQuery(request, Set.of());
        Job job = existing(request);
        ObjectNode body = Json.object();
        body.put("event_id", redeliverEvent.redeliver(job));
        body.put("type", WebhookEvent.type(job));
        return ApiResponse.json(202, body);
    }

    private Job existing(ApiRequest request) {
        return readJobs.find(request.tenant(), jobId(request)).orElseThrow(Requests::noSuchJob);
    }
}
