package dev.trawl.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantIdTest {
    private static final String SIXTY_FOUR = "a".repeat(64);

    @ParameterizedTest
    @ValueSource(strings = {"acme", "a", "0", "acme-eu", "acme_eu", "tenant-a", "9lives", "a-", "a_"})
    void validIds(String tenant) {
        assertTrue(TenantId.isValid(tenant), tenant);
        assertEquals(tenant, TenantId.require(tenant));
    }

    @Test
    void sixtyFourCharactersAreTheMost() {
        assertTrue(TenantId.isValid(SIXTY_FOUR));
        assertTrue(TenantId.isValid("0" + "-".repeat(63)));
        assertFalse(TenantId.isValid(SIXTY_FOUR + "a"));
        assertFalse(TenantId.isValid("0" + "-".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "ACME", "acme/eu", "-acme", "_acme", "acme eu", " acme", "acme\n", "acme.eu",
            "acme#eu", "acme:eu", "acmé", "ａｃｍｅ", "acme\u0000", "../acme", "acme/", "日本"})
    void invalidIds(String tenant) {
        assertFalse(TenantId.isValid(tenant), tenant);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TenantId.require(tenant));
        assertTrue(refused.getMessage().contains(TenantId.RULE), refused.getMessage());
    }

    @Test
    void nullIsNoTenantId() {
        assertFalse(TenantId.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> TenantId.require(null));
    }

    @Test
    void theRefusalNamesTheIdSoThatEveryCharacterShows() {
        assertEquals("the tenant id \"acme/eu\\n\" is not valid: a tenant id matches [a-z0-9][a-z0-9_-]{0,63}"
                + " (lower-case letters, digits, '_' and '-', at most 64, starting with a letter or digit)",
                TenantId.refusal("acme/eu\n"));
    }
}
