package dev.trawl.core.extract;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A page's {@code <meta property|name content>} tags, keyed as {@link FieldNames} compares names. */
final class MetaTags {
    /**
     * Where a field {@code f} is looked for, in order: OpenGraph, Facebook's product tags (whose price is
     * {@code product:price:amount}), a plain {@code <meta name>}, Twitter's card.
     */
    private static final List<String> PATTERNS = List.of("og:%s", "product:%s", "product:%s:amount", "og:%s:amount",
            "%s", "twitter:%s");

    private final Map<String, List<String>> contents;

    private MetaTags(Map<String, List<String>> contents) {
        this.contents = contents;
    }

    static MetaTags of(Document document) {
        Map<String, List<String>> contents = new HashMap<>();
        for (Element meta : document.getElementsByTag("meta")) {
            if (!meta.hasAttr("content")) {
                continue;
            }
            for (String attribute : List.of("property", "name")) {
                String key = FieldNames.normalize(meta.attr(attribute));
                if (!key.isEmpty()) {
                    contents.computeIfAbsent(key, k -> new ArrayList<>()).add(meta.attr("content"));
                }
            }
        }
        return new MetaTags(contents);
    }

    List<String> values(FieldNames names) {
        List<String> values = new ArrayList<>();
        for (String key : names.keys()) {
            for (String pattern : PATTERNS) {
                values.addAll(contents.getOrDefault(pattern.formatted(key), List.of()));
            }
        }
        return values;
    }
}
