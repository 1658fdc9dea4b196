package dev.trawl.core.testing.contract;

import dev.trawl.core.port.ApiKeyAdmin;
import dev.trawl.core.port.ApiKeyAdmin.KeyEntry;
import dev.trawl.core.port.ApiKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApiKeyAdmin}: a key's hash and its listing entry, made and revoked together, read by tenant; the
 * {@link ApiKeyStore} over the same data sees a created key and no revoked one. Each test uses tenants of its own,
 * since a store may be shared.
 */
public abstract class ApiKeyAdminContract {
    private ApiKeyAdmin admin;
    private ApiKeyStore store;

    /** The admin port; called once per test. */
    protected abstract ApiKeyAdmin admin();

    /** The store the authorizer reads, over the same data as {@link #admin()}. */
    protected abstract ApiKeyStore store();

    @BeforeEach
    final void open() {
        admin = admin();
        store = store();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static KeyEntry entry(String tenant, String name) {
        return new KeyEntry(unique("key_"), tenant, name, "trawl_Ab3d", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""));
    }

    @Test
    void aCreatedKeyAuthenticatesAsItsTenantAndIsListed() {
        String tenant = unique("t");
        KeyEntry key = entry(tenant, "ci pipeline");

        assertTrue(admin.create(key));

        assertEquals(Optional.of(tenant), store.tenantOfKeyHash(key.keyHash()));
        assertEquals(List.of(key), admin.list(tenant));
        assertTrue(admin.list(null).contains(key));
    }

    @Test
    void aKeyWithoutANameKeepsNone() {
        String tenant = unique("t");
        KeyEntry key = entry(tenant, null);
        assertTrue(admin.create(key));
        assertEquals(List.of(key), admin.list(tenant));
    }

    @Test
    void anIdOrHashTakenAlreadyStoresNothing() {
        String tenant = unique("t");
        KeyEntry first = entry(tenant, "first");
        assertTrue(admin.create(first));

        KeyEntry sameId = new KeyEntry(first.keyId(), tenant, "again", "trawl_Zzzz", first.createdAt(),
                entry(tenant, null).keyHash());
        assertFalse(admin.create(sameId));
        assertEquals(Optional.empty(), store.tenantOfKeyHash(sameId.keyHash()), "its hash was not stored either");

        KeyEntry sameHash = new KeyEntry(unique("key_"), tenant, "again", "trawl_Zzzz", first.createdAt(), first.keyHash());
        assertFalse(admin.create(sameHash));
        assertEquals(List.of(first), admin.list(tenant));
    }

    @Test
    void aTenantsListingHoldsItsKeysOnlyInKeyIdOrder() {
        String tenant = unique("t");
        String longer = tenant + "-eu"; // a tenant whose id starts with the other's
        KeyEntry b = entry(tenant, "b");
        KeyEntry a = entry(tenant, "a");
        KeyEntry other = entry(longer, "other");
        admin.create(b);
        admin.create(a);
        admin.create(other);

        List<KeyEntry> expected = a.keyId().compareTo(b.keyId()) < 0 ? List.of(a, b) : List.of(b, a);
        assertEquals(expected, admin.list(tenant));
        assertEquals(List.of(other), admin.list(longer));
        List<KeyEntry> all = admin.list(null).stream()
                .filter(k -> k.tenant().equals(tenant) || k.tenant().equals(longer)).toList();
        assertEquals(List.of(expected.get(0), expected.get(1), other), all, "by tenant, then key id");
        assertEquals(List.of(), admin.list(unique("nobody")));
    }

    @Test
    void aRevokedKeyNoLongerAuthenticatesNorIsListed() {
        String tenant = unique("t");
        KeyEntry kept = entry(tenant, "kept");
        KeyEntry revoked = entry(tenant, "revoked");
        admin.create(kept);
        admin.create(revoked);

        assertEquals(Optional.of(revoked), admin.revoke(revoked.keyId()));

        assertEquals(Optional.empty(), store.tenantOfKeyHash(revoked.keyHash()));
        assertEquals(Optional.of(tenant), store.tenantOfKeyHash(kept.keyHash()));
        assertEquals(List.of(kept), admin.list(tenant));
        assertEquals(Optional.empty(), admin.revoke(revoked.keyId()), "revoked twice: no such key now");
    }

    @Test
    void revokingAnUnknownIdChangesNothing() {
        String tenant = unique("t");
        KeyEntry kept = entry(tenant, "kept");
        admin.create(kept);

        assertEquals(Optional.empty(), admin.revoke(unique("key_")));

        assertEquals(List.of(kept), admin.list(tenant));
    }
}
