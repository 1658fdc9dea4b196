package dev.trawl.local.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One condition of a statement, e.g. {@code "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["K#*"]}}. Only the
 * operators below are known; a policy using another is refused when it is read, never ignored.
 */
record Condition(String operator, String key, List<String> values) {
    private static final Set<String> OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringLike",
            "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool", "Null");

    Condition {
        String base = operator.contains(":") ? operator.substring(operator.indexOf(':') + 1) : operator;
        String set = operator.contains(":") ? operator.substring(0, operator.indexOf(':')) : null;
        if (!OPERATORS.contains(base) || (set != null && !set.equals("ForAllValues") && !set.equals("ForAnyValue"))) {
            throw new IllegalArgumentException("the local IAM does not evaluate the condition operator " + operator);
        }
        values = List.copyOf(values);
    }

    /** Whether the call's context satisfies this condition, as IAM evaluates it. */
    boolean holds(Map<String, List<String>> context) {
        List<String> given = context.get(key);
        String base = operator.contains(":") ? operator.substring(operator.indexOf(':') + 1) : operator;
        if (base.equals("Null")) {
            boolean absent = given == null || given.isEmpty();
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
        }
        if (operator.startsWith("ForAllValues:")) {
            // IAM: true when every value of the key matches one of the condition's values (and when there is none).
            return given == null || given.stream().allMatch(value -> matchesAny(base, value));
        }
        if (operator.startsWith("ForAnyValue:")) {
            return given != null && given.stream().anyMatch(value -> matchesAny(base, value));
        }
        if (given == null || given.isEmpty()) {
            // A missing key fails every positive operator and satisfies every negated one.
            return base.contains("Not");
        }
        return given.stream().allMatch(value -> matchesAny(base, value));
    }

    private boolean matchesAny(String base, String value) {
        boolean negated = base.contains("Not");
        boolean any = values.stream().anyMatch(wanted -> switch (base) {
            case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" -> wanted.equals(value);
            case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike" -> Wildcards.matches(wanted, value, false);
            case "Bool" -> wanted.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT));
            default -> throw new IllegalStateException(base);
        });
        return negated != any;
    }
}
