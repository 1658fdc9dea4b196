package dev.trawl.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operators' side of API keys: what {@link ApiKeyStore} reads (a key's hash and its tenant) stored together with a
 * listing entry, so that keys can be listed by tenant and revoked by id without scanning the table. The key itself is
 * never stored.
 */
public interface ApiKeyAdmin {

    /**
     * One key as operators see it.
     *
     * @param keyId     a short id that is not secret, shown in listings and used to revoke ({@code key_…})
     * @param tenant    the tenant the key authenticates as
     * @param name      a label for people, or null
     * @param prefix    the key's first characters, to recognise it (never enough to use it)
     * @param createdAt when it was made
     * @param keyHash   the SHA-256 hex of the key: what the authorizer looks up
     */
    record KeyEntry(String keyId, String tenant, String name, String prefix, Instant createdAt, String keyHash) {
    }

    /**
     * Stores the key's hash (from then on the key authenticates as the tenant) and its entry, both or neither.
     *
     * @return false, storing nothing, when the tenant has a key with that id already or a key has that hash (ids
     *         are unique by chance: 12 random characters)
     */
    boolean create(KeyEntry key);

    /** The keys of {@code tenant}, or of every tenant when it is null, ordered by tenant and then key id. */
    List<KeyEntry> list(String tenant);

    /** Deletes the key's hash item and its entry together (the key stops working); empty when no key has that id. */
    Optional<KeyEntry> revoke(String keyId);
}
