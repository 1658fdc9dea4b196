package dev.trawl.core.extract;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page's microdata properties ({@code itemprop}) in page order. A property belongs to the nearest enclosing
 * {@code itemscope}; when that item's {@code itemtype} is {@linkplain SchemaTypes#isAuxiliary auxiliary} (a breadcrumb,
 * the brand, the organization) the property is searched only after the meta tags.
 */
final class Microdata {
    /** @param item the item the property belongs to, or null for one outside any item */
    private record Property(List<String> names, Element element, Element item) {
    }

    private final List<Property> properties;
    /** An item's {@code name} property, for a property whose value is that item. */
    private final Map<Element, Property> nameOfItem;

    private Microdata(List<Property> properties, Map<Element, Property> nameOfItem) {
        this.properties = properties;
        this.nameOfItem = nameOfItem;
    }

    /** One pass over the page keeping the open items on a stack: asking each property for its item would be quadratic. */
    static Microdata of(Document document) {
        List<Property> properties = new ArrayList<>();
        Map<Element, Property> nameOfItem = new IdentityHashMap<>();
        Deque<Element> openItems = new ArrayDeque<>();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element element) {
                    if (element.hasAttr("itemprop")) {
                        Property property = new Property(names(element), element, openItems.peek());
                        properties.add(property);
                        if (property.item() != null && property.names().contains("name")) {
                            nameOfItem.putIfAbsent(property.item(), property);
                        }
                    }
                    if (element.hasAttr("itemscope")) {
                        openItems.push(element);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && element.hasAttr("itemscope")) {
                    openItems.pop();
                }
            }
        }, document);
        return new Microdata(properties, nameOfItem);
    }

    /** The values of the properties named like the field, the field's own name before its aliases. */
    List<String> values(FieldNames names, boolean auxiliary) {
        List<String> values = new ArrayList<>();
        for (String key : names.keys()) {
            for (Property property : properties) {
                if (isAuxiliary(property.item()) == auxiliary && property.names().contains(key)) {
                    String value = value(property.element());
                    if (value != null) {
                        values.add(value);
                    }
                }
            }
        }
        return values;
    }

    /**
     * A property's value as microdata defines it: {@code content} when present, else the attribute its element carries
     * the value in, else its text. A property that is itself an item stands for that item's {@code name}, unless the
     * name is an item in turn.
     */
    private String value(Element element) {
        if (element.hasAttr("content")) {
            return element.attr("content");
        }
        if (element.hasAttr("itemscope")) {
            Property name = nameOfItem.get(element);
            return name == null || name.element().hasAttr("itemscope") ? null : value(name.element());
        }
        String attribute = switch (element.normalName()) {
            case "a", "area", "link" -> "href";
            case "img", "audio", "video", "source", "embed", "iframe", "track" -> "src";
            case "object" -> "data";
            case "time" -> "datetime";
            case "data", "meter" -> "value";
            default -> null;
        };
        if (attribute != null && element.hasAttr(attribute)) {
            return element.attr(attribute);
        }
        return ElementText.of(element);
    }

    private static List<String> names(Element property) {
        List<String> names = new ArrayList<>();
        for (String name : property.attr("itemprop").trim().split("\\s+")) {
            if (!name.isEmpty()) {
                names.add(FieldNames.normalize(name));
            }
        }
        return names;
    }

    private static boolean isAuxiliary(Element item) {
        if (item == null) {
            return false;
        }
        String type = item.attr("itemtype").trim();
        return !type.isEmpty() && SchemaTypes.isAuxiliary(type.split("\\s+")[0]);
    }
}
