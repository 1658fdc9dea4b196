package dev.trawl.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A function's {@code Policies} from template.yaml, read into the policy the local runtime enforces: SAM policy
 * templates (expanded as SAM does) and inline statements. What it cannot read faithfully is refused, never ignored.
 */
public final class FunctionPolicies {
    /** Managed policies SAM or the template may name that grant nothing the functions' own calls use. */
    private static final Set<String> INERT_MANAGED = Set.of("AWSLambdaBasicExecutionRole");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Action", "Resource", "NotResource",
            "Condition");

    private FunctionPolicies() {
    }

    /**
     * @param policies the function's {@code Policies} value (a list, a single item, or null)
     * @param resolve  turns a value with intrinsic functions into its local string
     */
    public static Policy read(String function, Object policies, Function<Object, String> resolve) {
        List<Statement> statements = new ArrayList<>();
        for (Object item : items(policies)) {
            if (item instanceof String managed) {
                if (!INERT_MANAGED.contains(managed)) {
                    throw refused(function, "the managed policy " + managed);
                }
            } else if (item instanceof Map<?, ?> map && map.containsKey("Statement")) {
                for (Object statement : items(map.get("Statement"))) {
                    statements.add(statement(function, statement, resolve));
                }
            } else if (item instanceof Map<?, ?> map && map.size() == 1) {
                var entry = map.entrySet().iterator().next();
                Map<String, String> parameters = new LinkedHashMap<>();
                if (entry.getValue() instanceof Map<?, ?> given) {
                    given.forEach((name, value) -> parameters.put(String.valueOf(name), resolve.apply(value)));
                }
                statements.addAll(PolicyTemplates.expand(String.valueOf(entry.getKey()), parameters));
            } else {
                throw refused(function, "the policy " + item);
            }
        }
        return new Policy(statements);
    }

    private static Statement statement(String function, Object value, Function<Object, String> resolve) {
        if (!(value instanceof Map<?, ?> statement)) {
            throw refused(function, "the statement " + value);
        }
        for (Object field : statement.keySet()) {
            if (!STATEMENT_FIELDS.contains(String.valueOf(field))) {
                throw refused(function, "the statement field " + field);
            }
        }
        String effect = String.valueOf(statement.get("Effect"));
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw refused(function, "the effect " + effect);
        }
        List<String> actions = items(statement.get("Action")).stream().map(String::valueOf).toList();
        List<String> resources = items(statement.get("Resource")).stream().map(resolve).toList();
        List<String> notResources = items(statement.get("NotResource")).stream().map(resolve).toList();
        if (actions.isEmpty() || resources.isEmpty() == notResources.isEmpty()) {
            throw refused(function, "a statement without Action, or with both or neither of Resource and NotResource");
        }
        List<Condition> conditions = new ArrayList<>();
        if (statement.get("Condition") instanceof Map<?, ?> byOperator) {
            byOperator.forEach((operator, keys) -> {
                if (!(keys instanceof Map<?, ?> byKey)) {
                    throw refused(function, "the condition " + operator);
                }
                byKey.forEach((key, values) -> conditions.add(new Condition(String.valueOf(operator), String.valueOf(key),
                        items(values).stream().map(resolve).toList())));
            });
        }
        return new Statement(effect.equals("Allow"), actions, resources, notResources, conditions);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> items(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }

    private static IllegalArgumentException refused(String function, String what) {
        return new IllegalArgumentException(function + ": the local runtime cannot enforce " + what
                + "; enforce it in dev.trawl.local.iam or say what it grants another way");
    }
}
