package dev.trawl.local;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Loads a CloudFormation/SAM template, turning short-form tags ({@code !Ref}, {@code !GetAtt}, …) into their long form. */
final class CloudFormationYaml {
    private static final List<String> FUNCTIONS = List.of("Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If",
            "Equals", "Not", "And", "Or", "FindInMap", "ImportValue", "Base64", "GetAZs", "Cidr", "Condition");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return (Map<String, Object>) new Yaml(new Constructor(options)).load(text);
    }

    private static final class Constructor extends SafeConstructor {
        Constructor(LoaderOptions options) {
            super(options);
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String function;

            Intrinsic(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected node " + node);
                };
                if (function.equals("GetAtt") && value instanceof String dotted) {
                    value = Arrays.asList(dotted.split("\\.", 2));
                }
                String key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                return Map.of(key, value);
            }
        }
    }
}
