package dev.trawl.local.iam;

import dev.trawl.core.util.Log;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every set of credentials the local stack has issued, by access key id, with the principal it speaks for: the
 * emulators and the SDK check calls against it ({@link SdkAccessCheck}, {@code AuthorizingBlobStore}). Keys are random,
 * so several local stacks in one JVM (tests) share this registry without meeting.
 */
public final class Identities {
    private static final Log LOG = Log.of("iam");
    private static final Map<String, Identity> BY_KEY = new ConcurrentHashMap<>();
    private static volatile Clock clock = Clock.systemUTC();

    private Identities() {
    }

    /**
     * @param expiresAt when the credentials stop working (as session credentials do), or null for never
     */
    public record Identity(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt,
                           Principal principal) {
        public boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "Identity[" + accessKeyId + " → " + principal.arn() + "]";
        }
    }

    public static void register(Identity identity) {
        BY_KEY.put(identity.accessKeyId(), identity);
    }

    public static void forget(String accessKeyId) {
        BY_KEY.remove(accessKeyId);
    }

    public static Optional<Identity> find(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(BY_KEY.get(accessKeyId));
    }

    public static Instant now() {
        return clock.instant();
    }

    /**
     * Whether the identity may make the call; a denial is logged with the principal, the action and the resource,
     * as CloudTrail would show it.
     */
    public static boolean allows(Identity identity, AccessRequest request) {
        if (identity.principal().allows(request)) {
            return true;
        }
        LOG.warn(null, "AccessDenied", "principal", identity.principal().arn(),
                "function", identity.principal() instanceof Principal.FunctionRole role ? role.function() : null,
                "action", request.action(), "resource", request.resource());
        return false;
    }

    /** The message AWS gives with an AccessDenied. */
    public static String denial(Identity identity, AccessRequest request) {
        return "User: " + identity.principal().arn() + " is not authorized to perform: " + request.action()
                + " on resource: " + request.resource() + " because no identity-based policy allows the "
                + request.action() + " action";
    }
}
