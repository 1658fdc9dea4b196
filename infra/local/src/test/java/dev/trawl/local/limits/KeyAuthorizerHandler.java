package dev.trawl.local.limits;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limits test stack's authorizer: its identity source is the {@code X-Key} header, which API Gateway hands it in
 * {@code identitySource}; it allows every key but {@code deny}, and counts its calls per key, so that a test sees
 * the cache spare it.
 */
public final class KeyAuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {
    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String key = event.getIdentitySource().getFirst();
        CALLS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return SimpleIAMPolicyResponse.builder().withIsAuthorized(!key.equals("deny")).withContext(Map.of("key", key)).build();
    }
}
