package dev.trawl.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prototype of tenant-fair delivery for one event source mapping (issue 11 item 7, off by default): a receiver
 * drains the queue into this pool, and each poller takes the oldest message of a tenant with the fewest of its
 * messages being processed, as SQS fair queues favour quiet tenants. Messages stay in flight on the queue while they
 * wait here, so a failed one still comes back after its visibility time-out. A message group runs one message at a
 * time here too, in order, as the FIFO queue would let it; the tenant is the body's {@code tenant} field (none: the
 * message group's own).
 */
final class FairDelivery implements DeliveryPool {
    /** Switches the prototype on for every SQS event source: {@code -Dtrawl.fairDelivery=tenant}. */
    static final String PROPERTY = "trawl.fairDelivery";

    private record Waiting(Message message, String tenant, long arrival) {
    }

    private final Map<String, ArrayDeque<Waiting>> byGroup = new LinkedHashMap<>();
    private final Map<String, Integer> runningByTenant = new HashMap<>();
    private final Map<String, String> runningGroups = new HashMap<>();
    private long arrivals;

    static boolean enabled() {
        return "tenant".equals(System.getProperty(PROPERTY));
    }

    synchronized void add(List<Message> messages) {
        for (Message message : messages) {
            String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            if (group == null) {
                group = message.messageId();
            }
            byGroup.computeIfAbsent(group, g -> new ArrayDeque<>()).add(new Waiting(message, tenant(message, group), arrivals++));
        }
        notifyAll();
    }

    /** The next message to deliver, waiting at most {@code millis}; null if none is ready by then. */
    @Override
    public synchronized Message take(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            Map.Entry<String, Waiting> chosen = null;
            for (Map.Entry<String, ArrayDeque<Waiting>> entry : byGroup.entrySet()) {
                if (runningGroups.containsKey(entry.getKey()) || entry.getValue().isEmpty()) {
                    continue;
                }
                Waiting head = entry.getValue().peekFirst();
                if (chosen == null || running(head.tenant()) < running(chosen.getValue().tenant())
                        || running(head.tenant()) == running(chosen.getValue().tenant())
                        && head.arrival() < chosen.getValue().arrival()) {
                    chosen = Map.entry(entry.getKey(), head);
                }
            }
            if (chosen != null) {
                String group = chosen.getKey();
                ArrayDeque<Waiting> queue = byGroup.get(group);
                queue.removeFirst();
                if (queue.isEmpty()) {
                    byGroup.remove(group);
                }
                runningGroups.put(group, chosen.getValue().tenant());
                runningByTenant.merge(chosen.getValue().tenant(), 1, Integer::sum);
                return chosen.getValue().message();
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    /** The message {@code take} gave is processed (deleted, or left to come back): its group and tenant run less. */
    @Override
    public synchronized void done(Message message) {
        String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        String tenant = runningGroups.remove(group == null ? message.messageId() : group);
        if (tenant != null) {
            runningByTenant.merge(tenant, -1, Integer::sum);
        }
        notifyAll();
    }

    private int running(String tenant) {
        return runningByTenant.getOrDefault(tenant, 0);
    }

    private static String tenant(Message message, String group) {
        try {
            JsonNode tenant = Json.parse(message.body()).get("tenant");
            return tenant != null && tenant.isTextual() ? tenant.asText() : group;
        } catch (Exception e) {
            return group;
        }
    }
}
