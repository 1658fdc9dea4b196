package dev.trawl.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The local event source's SQS fair queue: AWS's noisy-neighbour rules, no stricter. */
class FairQueueTest {
    private static final long SECOND = 1_000_000_000L;
    private static int ids;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final FairQueue fair = new FairQueue(now::get);

    private static Message of(String tenant) {
        String id = "m" + ids++;
        Message.Builder message = Message.builder().messageId(id).receiptHandle("r-" + id).body("{}");
        if (tenant != null) {
            message.attributes(Map.of(MessageSystemAttributeName.MESSAGE_GROUP_ID, tenant));
        }
        return message.build();
    }

    private List<Message> many(String tenant, int count) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(of(tenant));
        }
        return messages;
    }

    @Test
    void withoutANoisyTenantMessagesGoOldestFirst() throws Exception {
        Message a = of("a");
        Message b = of("b");
        Message c = of("c");
        fair.add(List.of(a, b, c));
        assertEquals(a, fair.take(0));
        assertEquals(b, fair.take(0), "a has one in flight and no processing time yet: not noisy");
        assertEquals(c, fair.take(0));
        assertNull(fair.take(10));
    }

    @Test
    void aQuietTenantGoesBeforeATenantWithMostOfTheRecentProcessingTime() throws Exception {
        List<Message> backlog = many("a", 5);
        fair.add(backlog);
        Message first = fair.take(0);
        now.addAndGet(2 * SECOND);
        fair.done(first);
        Message quiet = of("b");
        fair.add(List.of(quiet));
        assertEquals(quiet, fair.take(0), "a had all of the last minute's processing time");
        assertEquals(backlog.get(1), fair.take(0), "then a's backlog, in order");
    }

    @Test
    void aTenantIsQuietAgainOnceItsProcessingTimeIsNoLongerRecent() throws Exception {
        fair.add(many("a", 1));
        Message first = fair.take(0);
        now.addAndGet(SECOND);
        fair.done(first);
        now.addAndGet(FairQueue.PROCESSING_WINDOW_NANOS + SECOND);
        Message older = of("a");
        Message newer = of("b");
        fair.add(List.of(older, newer));
        assertEquals(older, fair.take(0), "nothing of a's is recent: oldest first");
    }

    @Test
    void whenOnlyNoisyTenantsWaitTheOneWithFewestInFlightGoesFirst() throws Exception {
        fair.add(many("a", 3));
        fair.take(0);
        fair.take(0);
        fair.add(many("b", 2));
        fair.take(0); // b: quiet then
        now.addAndGet(SECOND); // both now have well over 10% of the processing time
        assertEquals("b", FairQueue.groupOf(fair.take(0)),
                "both noisy: b, with 1 in flight, before a's older message (a has 2)");
    }

    @Test
    void theConcurrencyRuleNeedsThirtyInFlight() throws Exception {
        // No processing time yet (the clock stands still): only the in-flight rule can mark a tenant noisy.
        fair.add(many("a", 40));
        for (int i = 0; i < 29; i++) {
            fair.take(0);
        }
        Message older = fair.take(0); // a's 30th in flight... taken while it had 29: still quiet
        assertEquals("a", FairQueue.groupOf(older));
        Message quiet = of("b");
        fair.add(List.of(quiet));
        assertEquals(quiet, fair.take(0), "a has 30 in flight, all of them: noisy");
    }

    @Test
    void belowThirtyInFlightAndWithoutProcessingTimeNoTenantIsNoisy() throws Exception {
        fair.add(many("a", 20));
        for (int i = 0; i < 10; i++) {
            fair.take(0);
        }
        fair.add(List.of(of("b")));
        assertEquals("a", FairQueue.groupOf(fair.take(0)), "10 in flight is under AWS's 30: oldest first");
    }

    @Test
    void aMessageWithoutGroupIsATenantOfItsOwn() throws Exception {
        fair.add(many("a", 3));
        Message first = fair.take(0);
        now.addAndGet(SECOND);
        Message plain = of(null);
        fair.add(List.of(plain));
        assertEquals(plain, fair.take(0), "a is noisy by processing time; the plain message is its own quiet tenant");
        fair.done(first);
    }

    @Test
    void aWaitingMessageIsReportedForAVisibilityExtensionOnceAndKeepsItsPlace() throws Exception {
        List<Message> backlog = many("a", 2);
        fair.add(backlog);
        now.addAndGet(10 * SECOND);
        assertEquals(backlog, fair.waitingLongerThan(5 * SECOND));
        assertEquals(List.of(), fair.waitingLongerThan(5 * SECOND), "restamped");
        assertEquals(backlog.getFirst(), fair.take(0));
    }
}
