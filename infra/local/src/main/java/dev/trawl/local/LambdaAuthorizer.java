package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An HttpApi's Lambda authorizer (payload 2.0, simple responses) as API Gateway runs it: a request missing one of
 * the identity sources is refused with a {@code 401} without calling the function; otherwise the function decides,
 * within API Gateway's 10 s, and with {@code ReauthorizeEvery} above 0 its decision is kept that long for the same
 * identity source values.
 */
final class LambdaAuthorizer {
    /** How long API Gateway waits for an HTTP API's Lambda authorizer (its quota; not adjustable). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    /** What the authorizer decided about a request. */
    sealed interface Decision {
    }

    /** Let through, with the context the function's integration event carries in {@code authorizer.lambda}. */
    record Allowed(Map<String, Object> context) implements Decision {
    }

    /** The function said no: API Gateway answers {@code 403}. */
    record Denied() implements Decision {
    }

    /** An identity source is missing or empty: API Gateway answers {@code 401} and calls no function. */
    record Unidentified() implements Decision {
    }

    /** The function failed, timed out or answered what is not a simple response: API Gateway answers {@code 500}. */
    record Failed() implements Decision {
    }

    private record Cached(Decision decision, long expiresAtNanos) {
    }

    private final Template.AuthorizerDef definition;
    private final FunctionHost function;
    private final Map<List<String>, Cached> cache = new ConcurrentHashMap<>();

    LambdaAuthorizer(Template.AuthorizerDef definition, FunctionHost function) {
        this.definition = definition;
        this.function = function;
    }

    /**
     * @param headers names in lower case
     * @param query   the decoded query parameters, repeated ones joined by commas
     * @param event   the authorizer's event for the identity source values (null when it has no identity sources)
     */
    Decision authorize(Map<String, String> headers, Map<String, String> query,
                       Function<List<String>, APIGatewayV2CustomAuthorizerEvent> event) {
        List<String> identity = null;
        if (definition.hasIdentitySources()) {
            identity = new ArrayList<>();
            for (String header : definition.identityHeaders()) {
                identity.add(headers.get(header.toLowerCase(Locale.ROOT)));
            }
            for (String parameter : definition.identityQueryStrings()) {
                identity.add(query.get(parameter));
            }
            if (identity.stream().anyMatch(value -> value == null || value.isEmpty())) {
                return new Unidentified();
            }
        }
        boolean caches = definition.cacheSeconds() > 0 && identity != null;
        if (caches) {
            Cached cached = cache.get(identity);
            if (cached != null && System.nanoTime() - cached.expiresAtNanos() < 0) {
                return cached.decision();
            }
        }
        Decision decision = invoke(event.apply(identity));
        if (caches && !(decision instanceof Failed)) {
            cache.put(identity, new Cached(decision, System.nanoTime() + TimeUnit.SECONDS.toNanos(definition.cacheSeconds())));
        }
        return decision;
    }

    private Decision invoke(APIGatewayV2CustomAuthorizerEvent event) {
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return function.invoke(event);
            } catch (FunctionHost.InvocationFailed e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, task -> Thread.ofVirtual().name(function.name() + "-authorizer").start(task));
        Object answer;
        try {
            answer = call.get(RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return new Failed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed();
        }
        if (!(answer instanceof SimpleIAMPolicyResponse policy)) {
            return new Failed();
        }
        if (!policy.getIsAuthorized()) {
            return new Denied();
        }
        return new Allowed(policy.getContext() == null ? Map.of() : new HashMap<>(policy.getContext()));
    }
}
