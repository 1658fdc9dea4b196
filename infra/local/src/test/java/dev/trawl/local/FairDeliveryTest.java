package dev.trawl.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FairDeliveryTest {
    private static int ids;

    private static Message chunk(String tenant, String group) {
        return Message.builder().messageId("m" + ids++).body("{\"tenant\":\"" + tenant + "\",\"job_id\":\"j\"}")
                .attributes(Map.of(MessageSystemAttributeName.MESSAGE_GROUP_ID, group)).build();
    }

    @Test
    void aQuietTenantsMessageGoesBeforeTheOlderMessagesOfATenantWithMoreInFlight() throws Exception {
        FairDelivery fair = new FairDelivery();
        Message a1 = chunk("a", "ja#0");
        Message a2 = chunk("a", "ja#1");
        Message a3 = chunk("a", "jb#0");
        fair.add(List.of(a1, a2, a3));
        assertEquals(a1, fair.take(0));
        Message b1 = chunk("b", "jc#0");
        fair.add(List.of(b1));
        assertEquals(b1, fair.take(0), "b has none in flight, a has one");
        assertEquals(a2, fair.take(0), "then the oldest of the tenants with one in flight");
        assertEquals(a3, fair.take(0));
    }

    @Test
    void aGroupRunsOneMessageAtATimeInOrder() throws Exception {
        FairDelivery fair = new FairDelivery();
        Message first = chunk("a", "ja#0");
        Message second = chunk("a", "ja#0");
        fair.add(List.of(first, second));
        assertEquals(first, fair.take(0));
        assertNull(fair.take(10), "the group's next message waits for the first");
        fair.done(first);
        assertEquals(second, fair.take(0));
    }

    @Test
    void aMessageWithoutTenantCountsAsItsGroupsOwn() throws Exception {
        FairDelivery fair = new FairDelivery();
        Message a1 = chunk("a", "ja#0");
        Message a2 = chunk("a", "ja#1");
        Message other = Message.builder().messageId("plain").body("not json")
                .attributes(Map.of(MessageSystemAttributeName.MESSAGE_GROUP_ID, "g")).build();
        fair.add(List.of(a1, a2, other));
        assertEquals(a1, fair.take(0));
        assertEquals(other, fair.take(0), "its own tenant has none in flight");
        assertEquals(a2, fair.take(0));
    }
}
