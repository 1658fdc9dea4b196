package dev.trawl.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures {@code --aws-latency realistic} adds per service and operation, and its jitter. */
class LatencyProfileTest {

    @ParameterizedTest
    @CsvSource({
            "S3, PutObject, 30", "S3, UploadPart, 30", "S3, GetObject, 20", "S3, HeadObject, 20", "S3, ListObjectsV2, 20",
            "S3, DeleteObject, 20", "S3, CreateMultipartUpload, 20",
            "DynamoDb, GetItem, 5", "DynamoDb, Query, 5", "DynamoDb, PutItem, 8", "DynamoDb, UpdateItem, 8",
            "DynamoDb, DeleteItem, 8", "DynamoDb, TransactWriteItems, 15", "DynamoDb, BatchWriteItem, 10",
            "DynamoDb, Scan, 10",
            "Sqs, SendMessage, 10", "Sqs, SendMessageBatch, 10", "Sqs, ReceiveMessage, 10", "Sqs, DeleteMessage, 10",
            "Sqs, ChangeMessageVisibility, 10", "Sqs, ChangeMessageVisibilityBatch, 10",
            "Kms, GenerateDataKey, 8", "Kms, Decrypt, 8", "Sts, AssumeRole, 20"})
    void realisticFiguresPerOperation(String service, String operation, long millis) {
        assertEquals(Duration.ofMillis(millis), LatencyProfile.realistic().figure(service, operation));
    }

    @Test
    void noneAddsNothingAnywhere() {
        assertTrue(LatencyProfile.NONE.isNone());
        assertEquals(Duration.ZERO, LatencyProfile.NONE.figure("S3", "PutObject"));
        assertEquals(Duration.ZERO, LatencyProfile.NONE.delay("DynamoDb", "TransactWriteItems"));
    }

    @Test
    void anUnknownServiceGetsNoDelay() {
        assertEquals(Duration.ZERO, LatencyProfile.realistic().delay("Lambda", "Invoke"));
    }

    @Test
    void theJitterIsNeverBelowTheFigureNorAboveItsShareAndVaries() {
        LatencyProfile profile = LatencyProfile.realistic(7);
        Duration figure = Duration.ofMillis(30);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Duration delay = profile.delay("S3", "PutObject");
            assertTrue(delay.compareTo(figure) >= 0, delay.toString());
            assertTrue(delay.toNanos() <= figure.toNanos() * (1 + LatencyProfile.JITTER_SHARE), delay.toString());
            delays.add(delay);
        }
        assertTrue(delays.stream().distinct().count() > 100, "the jitter varies");
    }

    @Test
    void theSameSeedGivesTheSameDelaysAndAnotherSeedOthers() {
        LatencyProfile one = LatencyProfile.realistic(42);
        LatencyProfile again = LatencyProfile.realistic(42);
        LatencyProfile other = LatencyProfile.realistic(43);
        List<Duration> first = new ArrayList<>();
        List<Duration> second = new ArrayList<>();
        List<Duration> third = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(one.delay("Sqs", "SendMessageBatch"));
            second.add(again.delay("Sqs", "SendMessageBatch"));
            third.add(other.delay("Sqs", "SendMessageBatch"));
        }
        assertEquals(first, second);
        assertNotEquals(first, third);
    }

    @Test
    void namedProfiles() {
        assertSame(LatencyProfile.NONE, LatencyProfile.named("none"));
        assertEquals("realistic", LatencyProfile.named("Realistic").name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "realistic2", "slow"})
    void anotherNameIsRefusedNamingTheChoices(String name) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LatencyProfile.named(name));
        assertTrue(refused.getMessage().contains("none or realistic"), refused.getMessage());
    }
}
