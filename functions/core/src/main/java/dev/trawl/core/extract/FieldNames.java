package dev.trawl.core.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys a type-word field answers to in a page: its own name, then a few aliases, all compared without case,
 * underscores or hyphens, so that {@code image_url} finds {@code imageUrl} and {@code og:image-url}.
 */
record FieldNames(List<String> keys) {

    /**
     * Aliases for what sites publish under another name: an offer's price is often an AggregateOffer's
     * {@code lowPrice}, and its currency {@code priceCurrency} or {@code product:price:currency}.
     */
    private static final Map<String, List<String>> ALIASES = Map.of(
            "price", List.of("lowprice"),
            "currency", List.of("pricecurrency", "price:currency"));

    static FieldNames of(String field) {
        String own = normalize(field);
        List<String> keys = new ArrayList<>();
        keys.add(own);
        keys.addAll(ALIASES.getOrDefault(own, List.of()));
        return new FieldNames(List.copyOf(keys));
    }

    static String normalize(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-' && !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    String own() {
        return keys.getFirst();
    }

    /** Where {@code key} stands among the keys, the field's own name first; -1 when it is none of them. */
    int rank(String key) {
        return keys.indexOf(normalize(key));
    }
}
