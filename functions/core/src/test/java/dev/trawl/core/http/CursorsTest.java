package dev.trawl.core.http;

import dev.trawl.core.error.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CursorsTest {
    private static final byte[] KEY = "0123456789abcdef-cursor-test-key".getBytes(StandardCharsets.UTF_8);
    private static final String ID = "job_01JD3F2D1A77B0E1XYZ0000000";
    private final Cursors cursors = new Cursors(KEY);

    private static void assertRefused(Runnable decode) {
        InvalidInput error = assertThrows(InvalidInput.class, decode::run);
        assertEquals("invalid_request", error.code());
        assertEquals("cursor", error.field());
    }

    @Test
    void roundTrip() {
        String cursor = cursors.encode("tenant-a", ID);
        assertEquals(ID, cursors.decode("tenant-a", cursor));
        // Opaque: the id is not readable in it as is, and the same input gives the same cursor.
        assertEquals(cursor, cursors.encode("tenant-a", ID));
        assertEquals("odd id ✓ with . and \n", cursors.decode("t", cursors.encode("t", "odd id ✓ with . and \n")));
    }

    @Test
    void aNewInstanceWithTheSameKeyReadsTheCursor() {
        String cursor = cursors.encode("tenant-a", ID);
        assertEquals(ID, new Cursors(KEY.clone()).decode("tenant-a", cursor));
    }

    @Test
    void anotherTenantsCursorIsRefused() {
        String cursor = cursors.encode("tenant-a", ID);
        assertRefused(() -> cursors.decode("tenant-b", cursor));
    }

    @Test
    void aCursorMadeWithAnotherKeyIsRefused() {
        String cursor = new Cursors("another-key-of-32-bytes-long!!!!".getBytes(StandardCharsets.UTF_8)).encode("tenant-a", ID);
        assertRefused(() -> cursors.decode("tenant-a", cursor));
    }

    @Test
    void aCursorPointingAtAnotherIdWithTheOldMacIsRefused() {
        String cursor = cursors.encode("tenant-a", ID);
        String mac = cursor.substring(cursor.indexOf('.') + 1);
        String otherId = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("job_01JD3F2D1A77B0E1XYZ0000001".getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> cursors.decode("tenant-a", otherId + "." + mac));
    }

    /** Every single-character edit, anywhere in the cursor, is refused. */
    @Test
    void everyOneCharacterChangeIsRefused() {
        String cursor = cursors.encode("tenant-a", ID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
        int tried = 0;
        for (int i = 0; i < cursor.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == cursor.charAt(i)) {
                    continue;
                }
                String edited = cursor.substring(0, i) + c + cursor.substring(i + 1);
                assertNotEquals(cursor, edited);
                tried++;
                int position = i;
                InvalidInput error = assertThrows(InvalidInput.class, () -> cursors.decode("tenant-a", edited),
                        () -> "edit at " + position + " accepted: " + edited);
                assertEquals("cursor", error.field());
            }
        }
        // every character of a cursor is in the alphabet, so each position was edited alphabet.length() - 1 ways
        assertEquals(cursor.length() * (alphabet.length() - 1), tried);
    }

    @Test
    void truncatedAndExtendedCursorsAreRefused() {
        String cursor = cursors.encode("tenant-a", ID);
        assertRefused(() -> cursors.decode("tenant-a", cursor.substring(0, cursor.length() - 1)));
        assertRefused(() -> cursors.decode("tenant-a", cursor + "A"));
        assertRefused(() -> cursors.decode("tenant-a", cursor + "."));
        assertRefused(() -> cursors.decode("tenant-a", cursor.substring(0, cursor.indexOf('.'))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "abc", ".abc", "abc.", "%%%.%%%", "a.b.c", "am9iXzE.!!!!", "====.====",
            "null", "eyJpZCI6ImpvYl8xIn0", "job_01JD3F2D1A77B0E1XYZ0000000"})
    void garbageIsRefused(String garbage) {
        assertRefused(() -> cursors.decode("tenant-a", garbage));
    }

    @Test
    void anOverlongCursorIsRefused() {
        String longId = "j".repeat(600);
        String cursor = cursors.encode("tenant-a", longId);
        assertRefused(() -> cursors.decode("tenant-a", cursor));
    }

    @Test
    void aShortKeyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Cursors(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> new Cursors(new byte[0]));
        new Cursors(new byte[16]); // the shortest key allowed
    }

    @Test
    void theKeyIsCopiedNotShared() {
        byte[] key = KEY.clone();
        Cursors own = new Cursors(key);
        String cursor = own.encode("tenant-a", ID);
        key[0] ^= 1;
        assertEquals(ID, own.decode("tenant-a", cursor));
    }
}
