package dev.trawl.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.trawl.aws.AwsPorts;
import dev.trawl.core.auth.Authenticator;

import java.util.Map;

/**
 * The HTTP API's Lambda authorizer (simple responses). It lets every request through to the API function,
 * with {@code tenant} in its context only when the bearer key is known: API Gateway's own denial is a bare
 * {@code 403 {"message":"Forbidden"}}, while the contract promises {@code 401} in its error form, which the
 * API function answers for requests that carry no tenant.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {
    private final Authenticator authenticator;

    public AuthorizerHandler() {
        this(new Authenticator(AwsPorts.fromEnvironment().keys()));
    }

    public AuthorizerHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String header = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> entry : event.getHeaders().entrySet()) {
                if (entry.getKey().equalsIgnoreCase("authorization")) {
                    header = entry.getValue();
                }
            }
        }
        String tenant = authenticator.tenantOf(header).orElse("");
        return SimpleIAMPolicyResponse.builder()
                .withIsAuthorized(true)
                .withContext(Map.of("tenant", tenant))
                .build();
    }
}
