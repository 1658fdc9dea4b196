package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.nodes.Document;

import java.util.List;

/**
 * Finds a type-word field by its name in an HTML page. The sources, in order, the first value that coerces to the
 * field's type winning (so a "Call us" price falls through to the next source rather than ending the search):
 * <ol>
 * <li>JSON-LD main entities, a Product first;</li>
 * <li>microdata properties of items that are not site furniture;</li>
 * <li>meta tags: {@code og:f}, {@code product:f}, {@code product:f:amount}, {@code og:f:amount}, {@code name="f"},
 * {@code twitter:f};</li>
 * <li>JSON-LD entities and microdata items that are site furniture (breadcrumbs, organization, website, brand);</li>
 * <li>for the field {@code title}, the {@code <title>} element.</li>
 * </ol>
 * Each source is read from the document once, when a field first needs it.
 */
final class StructuredData {
    private final Document document;
    private JsonLd jsonLd;
    private Microdata microdata;
    private MetaTags metaTags;

    StructuredData(Document document) {
        this.document = document;
    }

    JsonNode find(String field, ValueType type) {
        FieldNames names = FieldNames.of(field);
        JsonNode value = firstOfJson(jsonLd().candidates(names, false), type);
        if (value == null) {
            value = firstOfText(microdata().values(names, false), type);
        }
        if (value == null) {
            value = firstOfText(metaTags().values(names), type);
        }
        if (value == null) {
            value = firstOfJson(jsonLd().candidates(names, true), type);
        }
        if (value == null) {
            value = firstOfText(microdata().values(names, true), type);
        }
        if (value == null && names.own().equals("title")) {
            value = Coercion.fromText(document.title(), type);
        }
        return value;
    }

    private static JsonNode firstOfJson(List<JsonNode> candidates, ValueType type) {
        for (JsonNode candidate : candidates) {
            JsonNode value = Coercion.fromJson(candidate, type, false);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static JsonNode firstOfText(List<String> candidates, ValueType type) {
        for (String candidate : candidates) {
            JsonNode value = Coercion.fromText(candidate, type);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private JsonLd jsonLd() {
        if (jsonLd == null) {
            jsonLd = JsonLd.of(document);
        }
        return jsonLd;
    }

    private Microdata microdata() {
        if (microdata == null) {
            microdata = Microdata.of(document);
        }
        return microdata;
    }

    private MetaTags metaTags() {
        if (metaTags == null) {
            metaTags = MetaTags.of(document);
        }
        return metaTags;
    }
}
