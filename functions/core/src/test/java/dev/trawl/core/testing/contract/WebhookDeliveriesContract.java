package dev.trawl.core.testing.contract;

import dev.trawl.core.message.WebhookDelivery;
import dev.trawl.core.port.WebhookDeliveries;
import dev.trawl.core.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.trawl.core.testing.contract.ContractJobs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebhookDeliveries}: a job's attempts in time order, the latest ones listed. The case named
 * {@code ...AsDynamoDbRefusesIt} is a write DynamoDB refuses.
 */
public abstract class WebhookDeliveriesContract extends JobTableContract {

    private static WebhookDelivery attempt(int attempt, Instant at) {
        return new WebhookDelivery("evt_1", "job.completed", attempt, at, 500, 40 + attempt, "http_error");
    }

    @Test
    void latestListsTheMostRecentAttemptsOldestFirst() {
        String jobId = TestJobs.newId();
        for (int i = 1; i <= 5; i++) {
            deliveries.record(tenant, jobId, attempt(i, T0.plusSeconds(i)));
        }
        assertEquals(List.of(attempt(3, T0.plusSeconds(3)), attempt(4, T0.plusSeconds(4)), attempt(5, T0.plusSeconds(5))),
                deliveries.latest(tenant, jobId, 3));
        assertEquals(5, deliveries.latest(tenant, jobId, 100).size());
        assertEquals(attempt(1, T0.plusSeconds(1)), deliveries.latest(tenant, jobId, 100).getFirst());
        assertTrue(deliveries.latest(tenant, TestJobs.newId(), 10).isEmpty());
    }

    @Test
    void attemptsAreInTimeOrderWhateverTheOrderTheyAreRecordedIn() {
        String jobId = TestJobs.newId();
        deliveries.record(tenant, jobId, attempt(1, T0.plusSeconds(30)));
        deliveries.record(tenant, jobId, attempt(1, T0.plusSeconds(10)));
        deliveries.record(tenant, jobId, attempt(2, T0.plusSeconds(10)));
        deliveries.record(tenant, jobId, attempt(1, T0.plusSeconds(20)));
        assertEquals(List.of(attempt(1, T0.plusSeconds(10)), attempt(2, T0.plusSeconds(10)), attempt(1, T0.plusSeconds(20)),
                attempt(1, T0.plusSeconds(30))), deliveries.latest(tenant, jobId, 10));
    }

    @Test
    void anAttemptRecordedTwiceIsKeptOnceAsDynamoDbKeepsIt() {
        String jobId = TestJobs.newId();
        deliveries.record(tenant, jobId, attempt(1, T0));
        WebhookDelivery again = new WebhookDelivery("evt_1", "job.completed", 1, T0, 200, 9, null);
        deliveries.record(tenant, jobId, again);
        assertEquals(List.of(again), deliveries.latest(tenant, jobId, 10), "same instant and attempt: the last stands");
    }

    @Test
    void anAttemptWithoutAnEventIdIsRefusedAsDynamoDbRefusesIt() {
        String jobId = TestJobs.newId();
        assertThrows(RuntimeException.class, () -> deliveries.record(tenant, jobId,
                new WebhookDelivery(null, "job.completed", 1, T0, 200, 9, null)));
        assertThrows(RuntimeException.class, () -> deliveries.record(tenant, jobId,
                new WebhookDelivery("evt_1", null, 1, T0, 200, 9, null)));
        assertTrue(deliveries.latest(tenant, jobId, 10).isEmpty());
    }

    @Test
    void anAttemptKeepsEveryField() {
        String jobId = TestJobs.newId();
        WebhookDelivery unanswered = new WebhookDelivery("evt_9", "job.failed", 3, T0.plusNanos(123_456_789), null, 10_000,
                "timeout");
        deliveries.record(tenant, jobId, unanswered);
        assertEquals(List.of(unanswered), deliveries.latest(tenant, jobId, 1));
    }

    @Test
    void aJobsAttemptsAreItsTenantsOnly() {
        String jobId = TestJobs.newId();
        deliveries.record(tenant, jobId, attempt(1, T0));
        assertTrue(deliveries.latest(ContractJobs.newTenant(), jobId, 10).isEmpty());
        assertEquals(1, deliveries.latest(tenant, jobId, 10).size());
    }
}
