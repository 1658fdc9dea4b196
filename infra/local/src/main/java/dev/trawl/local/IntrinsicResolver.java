package dev.trawl.local;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves the intrinsic functions the template's environment uses: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}. */
final class IntrinsicResolver {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");
    private final Map<String, Object> references;
    private final Map<String, String> arns;

    /** @param arns the ARNs of the resources that have one locally (queues, keys), by logical id */
    IntrinsicResolver(Map<String, Object> references, Map<String, String> arns) {
        this.references = references;
        this.arns = arns;
    }

    String resolve(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1) {
            var entry = intrinsic.entrySet().iterator().next();
            String function = String.valueOf(entry.getKey());
            Object argument = entry.getValue();
            switch (function) {
                case "Ref" -> {
                    return lookup(String.valueOf(argument));
                }
                case "Fn::GetAtt" -> {
                    List<?> parts = (List<?>) argument;
                    return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                }
                case "Fn::Sub" -> {
                    Matcher matcher = SUB.matcher(String.valueOf(argument));
                    StringBuilder out = new StringBuilder();
                    while (matcher.find()) {
                        String name = matcher.group(1);
                        String replacement = name.contains(".") ? getAtt(name.substring(0, name.indexOf('.')),
                                name.substring(name.indexOf('.') + 1)) : lookup(name);
                        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
                    }
                    matcher.appendTail(out);
                    return out.toString();
                }
                default -> throw new IllegalArgumentException("the local runtime does not resolve " + function);
            }
        }
        return String.valueOf(value);
    }

    private String lookup(String name) {
        Object value = references.get(name);
        if (value == null) {
            throw new IllegalArgumentException("template reference to unknown resource or parameter " + name);
        }
        return String.valueOf(value);
    }

    private String getAtt(String resource, String attribute) {
        return switch (attribute) {
            case "Arn" -> arns.containsKey(resource) ? arns.get(resource)
                    : "arn:aws:local:" + EmbeddedStack.REGION + ":000000000000:" + resource;
            case "QueueName" -> lookup(resource + ".QueueName");
            case "QueueUrl", "KeyId" -> lookup(resource);
            default -> throw new IllegalArgumentException("the local runtime does not resolve " + resource + "." + attribute);
        };
    }
}
