package dev.trawl.core.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.util.Json;

import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code {"deliveries": [...]}}, as {@code GET /v1/jobs/{id}/webhook-deliveries} answers. */
public final class DeliveriesJson {
    private DeliveriesJson() {
    }

    public static ObjectNode of(List<WebhookDelivery> deliveries) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("deliveries");
        for (WebhookDelivery delivery : deliveries) {
            ObjectNode d = list.addObject();
            d.put("event_id", delivery.eventId());
            d.put("type", delivery.type());
            d.put("attempt", delivery.attempt());
            d.put("at", delivery.at().truncatedTo(ChronoUnit.MILLIS).toString());
            if (delivery.httpStatus() == null) {
                d.putNull("http_status");
            } else {
                d.put("http_status", delivery.httpStatus());
            }
            d.put("latency_ms", delivery.latencyMs());
            d.put("error", delivery.error());
        }
        return body;
    }
}
