package dev.trawl.core.http;

import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque list cursors: the last id of a page, with a MAC over the tenant and that id, so that a cursor
 * edited by hand or replayed by another tenant is refused instead of read.
 */
public final class Cursors {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private final byte[] key;

    public Cursors(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the cursor key must be at least 16 bytes");
        }
        this.key = key.clone();
    }

    public String encode(String tenant, String lastId) {
        return ENCODER.encodeToString(lastId.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(tenant, lastId));
    }

    /** The id a cursor stands for; a {@code 400} if the cursor was not issued to this tenant by this service. */
    public String decode(String tenant, String cursor) {
        int dot = cursor.indexOf('.');
        if (dot <= 0 || cursor.length() > 512) {
            throw invalid();
        }
        try {
            String lastId = new String(DECODER.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
            // Compared as issued, not as decoded: base64 leaves slack bits in the last character of each part.
            if (!MessageDigest.isEqual(cursor.getBytes(StandardCharsets.UTF_8),
                    encode(tenant, lastId).getBytes(StandardCharsets.UTF_8))) {
                throw invalid();
            }
            return lastId;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private byte[] mac(String tenant, String lastId) {
        return Arrays.copyOf(Hashing.hmacSha256(key, "jobs\n" + tenant + "\n" + lastId), MAC_BYTES);
    }

    private static InvalidInput invalid() {
        return new InvalidInput("cursor", "cursor is not a cursor this API issued for this key.");
    }
}
