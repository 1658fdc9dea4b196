package dev.trawl.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One call as IAM judges it: the action ({@code dynamodb:PutItem}), the resource's ARN, and the condition keys the
 * call carries (e.g. {@code dynamodb:LeadingKeys}, the partition keys it touches).
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context) {
    public AccessRequest {
        context = Map.copyOf(context);
    }

    public AccessRequest(String action, String resource) {
        this(action, resource, Map.of());
    }
}
