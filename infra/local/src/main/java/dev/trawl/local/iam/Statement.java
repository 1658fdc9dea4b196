package dev.trawl.local.iam;

import java.util.List;

/**
 * One statement of an identity policy. Actions match case-insensitively, resources case-sensitively, both with
 * IAM's wildcards; {@code notResources} (when given) matches every resource but those.
 */
record Statement(boolean allow, List<String> actions, List<String> resources, List<String> notResources,
                 List<Condition> conditions) {
    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        notResources = List.copyOf(notResources);
        conditions = List.copyOf(conditions);
    }

    static Statement allow(List<String> actions, List<String> resources) {
        return new Statement(true, actions, resources, List.of(), List.of());
    }

    boolean applies(AccessRequest request) {
        boolean action = actions.stream().anyMatch(a -> Wildcards.matches(a, request.action(), true));
        boolean resource = notResources.isEmpty()
                ? resources.stream().anyMatch(r -> Wildcards.matches(r, request.resource(), false))
                : notResources.stream().noneMatch(r -> Wildcards.matches(r, request.resource(), false));
        return action && resource && conditions.stream().allMatch(c -> c.holds(request.context()));
    }
}
