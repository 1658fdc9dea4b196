package dev.trawl.core.auth;

import dev.trawl.core.util.Json;

import java.util.regex.Pattern;

/**
 * The one rule for tenant ids, checked wherever a key is given a tenant and again when a key is read. Tenant ids
 * become parts of S3 keys ({@code uploads/{tenant}/…}) and table keys ({@code T#{tenant}}), so one holding a
 * {@code /}, a {@code #} or upper case could reach into another tenant's prefix or be confused with another id.
 */
public final class TenantId {
    /** Lower-case letters, digits, {@code _} and {@code -}, 1 to 64 of them, starting with a letter or digit. */
    public static final String RULE = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private TenantId() {
    }

    public static boolean isValid(String tenant) {
        return tenant != null && PATTERN.matcher(tenant).matches();
    }

    /**
     * @return the tenant id, when valid
     * @throws IllegalArgumentException naming the id and the rule, when not
     */
    public static String require(String tenant) {
        if (!isValid(tenant)) {
            throw new IllegalArgumentException(refusal(tenant));
        }
        return tenant;
    }

    /** Why a tenant id is refused, for a person to read: the id as a JSON string (so any character shows) and the rule. */
    public static String refusal(String tenant) {
        return "the tenant id " + Json.write(tenant) + " is not valid: a tenant id matches " + RULE
                + " (lower-case letters, digits, '_' and '-', at most 64, starting with a letter or digit)";
    }
}
