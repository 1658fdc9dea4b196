package dev.trawl.core.util;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {
    private static final Pattern CROCKFORD_26 = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    private static final Instant T0 = Instant.parse("2026-05-12T10:00:00.123Z");
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** A clock that moves on only when told to. */
    private static final class SteppingClock extends Clock {
        final AtomicLong millis;

        SteppingClock(long start) {
            millis = new AtomicLong(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    private static long decodeTime(String id, String prefix) {
        long value = 0;
        for (char c : id.substring(prefix.length(), prefix.length() + 10).toCharArray()) {
            value = value * 32 + ALPHABET.indexOf(c);
        }
        return value;
    }

    private static void assertStrictlyIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0,
                    "id " + i + " does not sort after id " + (i - 1) + ": " + ids.get(i - 1) + " then " + ids.get(i));
        }
    }

    @Test
    void idsHaveThePrefixAnd26CrockfordCharacters() {
        Ids ids = new Ids(Clock.systemUTC());
        for (String prefix : List.of("job_", "upl_", "evt_")) {
            String id = ids.next(prefix);
            assertTrue(id.startsWith(prefix), id);
            assertEquals(prefix.length() + 26, id.length(), id);
            assertTrue(CROCKFORD_26.matcher(id.substring(prefix.length())).matches(), id);
        }
    }

    @Test
    void theFirstTenCharactersAreTheEpochMillis() {
        Ids ids = new Ids(Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(T0.toEpochMilli(), decodeTime(ids.next("job_"), "job_"));
        assertEquals(0, decodeTime(new Ids(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).next("x_"), "x_"));
    }

    @Test
    void tenThousandIdsInTheSameMillisecondSortInGenerationOrder() {
        Ids ids = new Ids(Clock.fixed(T0, ZoneOffset.UTC));
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next("job_"));
        }
        assertEquals(10_000, new HashSet<>(generated).size(), "ids are unique");
        assertStrictlyIncreasing(generated);
        List<String> sorted = new ArrayList<>(generated);
        sorted.sort(null);
        assertEquals(generated, sorted);
        generated.forEach(id -> assertEquals(T0.toEpochMilli(), decodeTime(id, "job_")));
    }

    @Test
    void tenThousandIdsOverManyMillisecondsSortInGenerationOrder() {
        SteppingClock clock = new SteppingClock(T0.toEpochMilli());
        Ids ids = new Ids(clock);
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (i % 37 == 0) {
                clock.millis.incrementAndGet();
            }
            generated.add(ids.next("job_"));
        }
        assertStrictlyIncreasing(generated);
    }

    @Test
    void aLaterMillisecondAlwaysSortsAfterwardsWhateverTheRandomPart() {
        SteppingClock clock = new SteppingClock(T0.toEpochMilli());
        for (int i = 0; i < 200; i++) {
            Ids ids = new Ids(clock);
            String earlier = ids.next("job_");
            clock.millis.incrementAndGet();
            String later = new Ids(clock).next("job_");
            assertTrue(earlier.compareTo(later) < 0, earlier + " vs " + later);
        }
    }

    /** When the low random half wraps within one millisecond, the carry keeps the order. */
    @Test
    void theCounterCarriesIntoTheHighHalf() throws Exception {
        Ids ids = new Ids(Clock.fixed(T0, ZoneOffset.UTC));
        String first = ids.next("job_");
        Field low = Ids.class.getDeclaredField("randomLow");
        low.setAccessible(true);
        low.setLong(ids, 0xFFFFFFFFFFL - 2);
        List<String> generated = new ArrayList<>(List.of(first));
        for (int i = 0; i < 6; i++) {
            generated.add(ids.next("job_"));
        }
        assertStrictlyIncreasing(generated.subList(1, generated.size()));
        // the wrap: the low half is back to zeros and the high half moved on
        String wrapped = generated.get(3);
        assertEquals("00000000", wrapped.substring(4 + 18));
        assertNotEquals(generated.get(2).substring(4 + 10, 4 + 18), wrapped.substring(4 + 10, 4 + 18));
    }

    @Test
    void secretsAreUrlSafeAndDistinct() {
        String a = Ids.secret(24);
        String b = Ids.secret(24);
        assertEquals(32, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]+"), a);
        assertNotEquals(a, b);
    }
}
