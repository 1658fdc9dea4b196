package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.trawl.core.extract.Pages.assertJson;
import static dev.trawl.core.extract.Pages.extract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractorTest {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";

    @Test
    void theExampleOfTheContract() throws Exception {
        ObjectNode data = extract("""
                {"name": "string", "price": "number", "title": {"css": "title"}}""", "product-jsonld.html", HTML);
        assertJson("""
                {"name": "Blue mug", "price": 12.5, "title": "Blue mug | Example"}""", data);
        assertTrue(data.get("price").isDouble());
    }

    @Test
    void typeWordsOnJsonLdPreferTheProductOverBreadcrumbsAndOrganization() throws Exception {
        ObjectNode data = extract("""
                {"name": "string", "price": "number", "price_text": {"css": "nope"}, "currency": "string",
                 "availability": "boolean", "brand": "string", "sku": "string", "gtin13": "integer",
                 "image": "string", "description": "string", "ratingValue": "number", "review_count": "integer",
                 "url": "string", "telephone": "string", "title": "string", "color": "string"}""",
                "product-jsonld.html", HTML);
        assertJson("""
                {"name": "Blue mug",
                 "price": 12.5,
                 "price_text": null,
                 "currency": "EUR",
                 "availability": true,
                 "brand": "Acme Pottery",
                 "sku": "MUG-0042",
                 "gtin13": 5012345678900,
                 "image": "https://shop.example/img/mug-1.jpg",
                 "description": "A sturdy stoneware mug, glazed blue.",
                 "ratingValue": 4.6,
                 "review_count": 1204,
                 "url": "https://shop.example/p/blue-mug",
                 "telephone": "+44 20 7946 0000",
                 "title": "Blue mug – Example Shop",
                 "color": null}""", data);
    }

    @Test
    void aGraphWithAnAggregateOfferAndHandWrittenJson() throws Exception {
        ObjectNode data = extract("""
                {"name": "string", "price": "number", "high_price": "number", "currency": "string",
                 "offerCount": "integer", "url": "string", "title": "string"}""", "product-graph.html", HTML);
        assertJson("""
                {"name": "Garden chair", "price": 39.99, "high_price": 59.99, "currency": "GBP", "offerCount": 3,
                 "url": "https://garden.example/", "title": "Garden chair"}""", data,
                "lowPrice stands for price; the website's url is a last resort; <title> the title's");
    }

    @Test
    void typeWordsOnMicrodata() throws Exception {
        ObjectNode data = extract("""
                {"name": "string", "price": "number", "price_text": {"css": "[itemprop=price]"},
                 "currency": "string", "availability": "boolean", "image": "string", "brand": "string",
                 "description": "string", "priceValidUntil": "string", "rating_value": "number",
                 "reviewCount": "integer", "position": "integer", "title": "string"}""", "microdata.html", HTML);
        assertJson("""
                {"name": "Espresso machine",
                 "price": 1299.0,
                 "price_text": "$1,299.00",
                 "currency": "USD",
                 "availability": false,
                 "image": "/img/espresso.jpg",
                 "brand": "Barista Pro",
                 "description": "Fifteen bars of pressure.",
                 "priceValidUntil": "2026-12-31",
                 "rating_value": 4.2,
                 "reviewCount": 37,
                 "position": 1,
                 "title": "Espresso machine – Coffee Corner"}""", data);
    }

    @Test
    void typeWordsOnMetaTagsOnly() throws Exception {
        ObjectNode data = extract("""
                {"title": "string", "description": "string", "image": "string", "url": "string",
                 "site_name": "string", "siteName": "string", "price": "number", "currency": "string",
                 "availability": "boolean", "author": "string", "card": "string", "name": "string",
                 "type": "string"}""", "opengraph.html", HTML);
        assertJson("""
                {"title": "Rain jacket, yellow",
                 "description": "Keeps the rain out.",
                 "image": "https://outdoor.example/img/jacket.jpg",
                 "url": "https://outdoor.example/p/rain-jacket",
                 "site_name": "Outdoor Example",
                 "siteName": "Outdoor Example",
                 "price": 89.95,
                 "currency": "EUR",
                 "availability": true,
                 "author": "Outdoor Example team",
                 "card": "summary_large_image",
                 "name": null,
                 "type": "product"}""", data);
    }

    @Test
    void aValueThatDoesNotCoerceFallsThroughToTheNextSource() throws Exception {
        String page = """
                <html><head>
                <script type="application/ld+json">{"@type": "Product", "name": "Lamp", "price": "Call us"}</script>
                <meta property="product:price:amount" content="45.00">
                </head></html>""";
        ObjectNode data = extract("""
                {"price": "number", "price_text": {"css": "nothing"}}""", page.getBytes(StandardCharsets.UTF_8), HTML);
        assertEquals(45.0, data.get("price").doubleValue());
        ObjectNode asText = extract("{\"price\": \"string\"}", page.getBytes(StandardCharsets.UTF_8), HTML);
        assertEquals("Call us", asText.get("price").textValue(), "as text the first source's value stands");
    }

    @Test
    void cssFields() throws Exception {
        ObjectNode data = extract("""
                {"heading": {"css": "h1.product-title"},
                 "price": {"css": ".price .amount", "type": "number"},
                 "was": {"css": ".price del", "type": "number"},
                 "buy": {"css": "a.buy", "attr": "href"},
                 "abs_buy": {"css": "a.buy", "attr": "abs:href"},
                 "abs_image": {"css": "meta[property=og:image]", "attr": "abs:content"},
                 "og_image": {"css": "meta[property=og:image]", "attr": "content"},
                 "no_attr": {"css": "a.buy", "attr": "data-missing"},
                 "stars": {"css": ".reviews .stars", "all": true, "type": "integer"},
                 "reviews": {"css": ".reviews li", "all": true},
                 "none": {"css": ".nothing-here", "all": true},
                 "missing": {"css": ".nothing-here"},
                 "breadcrumbs": {"css": "nav.breadcrumbs a", "attr": "href", "all": true},
                 "jsonld": {"css": "script[type=application/ld+json]:containsData(BreadcrumbList)"}}""",
                "product-jsonld.html", HTML);
        assertEquals("Blue mug", data.get("heading").textValue(), "whitespace collapsed");
        assertEquals(12.5, data.get("price").doubleValue());
        assertEquals(15.0, data.get("was").doubleValue());
        assertEquals("/cart/add?sku=MUG-0042", data.get("buy").textValue());
        assertEquals("/cart/add?sku=MUG-0042", data.get("abs_buy").textValue(), "no page URL: relative stays relative");
        assertEquals("https://shop.example/img/og-mug.jpg", data.get("abs_image").textValue());
        assertEquals("https://shop.example/img/og-mug.jpg", data.get("og_image").textValue());
        assertTrue(data.get("no_attr").isNull());
        assertJson("[5, 4, null]", data.get("stars"), "a match that does not coerce is null in its place");
        assertJson("[\"5 Lovely colour\", \"4 A bit heavy\", \"n/a Arrived broken\"]", data.get("reviews"));
        assertJson("[]", data.get("none"));
        assertTrue(data.get("missing").isNull());
        assertJson("[\"/\", \"/kitchen\"]", data.get("breadcrumbs"));
        assertTrue(data.get("jsonld").textValue().startsWith("{ \"@context\": \"https://schema.org\", \"@type\": \"BreadcrumbList\""),
                "a script's content stands for its text: " + data.get("jsonld"));
    }

    @Test
    void regexFields() throws Exception {
        ObjectNode data = extract("""
                {"sku": {"regex": "SKU: ([A-Z]+-\\\\d+)"},
                 "whole": {"regex": "Ships in \\\\d+-\\\\d+ days"},
                 "days": {"regex": "Ships in (\\\\d+)-(\\\\d+)", "group": 2, "type": "integer"},
                 "images": {"regex": "img/(mug-\\\\d)\\\\.jpg", "all": true},
                 "optional": {"regex": "(nothing)?SKU", "group": 1},
                 "absent": {"regex": "no such text"},
                 "none": {"regex": "no such text", "all": true},
                 "price": {"regex": "\\"price\\": \\"([^\\"]+)\\"", "type": "number"}}""",
                "product-jsonld.html", HTML);
        assertJson("""
                {"sku": "MUG-0042", "whole": "Ships in 2-3 days", "days": 3, "images": ["mug-1", "mug-2"],
                 "optional": null, "absent": null, "none": [], "price": 12.5}""", data);
    }

    @Test
    void typeWordsAndPointersOnAJsonResponse() throws Exception {
        ObjectNode data = extract("""
                {"title": "string", "price": "number", "image_url": "string", "inStock": "boolean",
                 "stock_count": "integer", "heightCm": "number", "sku": "string", "color": "string",
                 "tags": "string", "next": "string", "total": "integer", "unit": "string",
                 "second_sku": {"json": "/data/variants/1/sku"},
                 "variant_prices": {"json": "/data/variants/2/price", "type": "number"},
                 "tag_list": {"json": "/data/tags", "all": true},
                 "dimensions": {"json": "/data/dimensions"},
                 "weight": {"json": "/data/dimensions/weight/value", "type": "number"},
                 "one": {"json": "/data/id", "all": true, "type": "integer"},
                 "nope": {"json": "/data/nope"},
                 "css": {"css": "title"},
                 "skus": {"regex": "\\"sku\\": \\"(M-\\\\d)\\"", "all": true}}""", "api.json", JSON);
        assertJson("""
                {"title": "Blue mug",
                 "price": 12.5,
                 "image_url": "https://cdn.example/mug.jpg",
                 "inStock": true,
                 "stock_count": 17,
                 "heightCm": 9.5,
                 "sku": "M-1",
                 "color": "blue",
                 "tags": null,
                 "next": null,
                 "total": 1,
                 "unit": "kg",
                 "second_sku": "M-2",
                 "variant_prices": null,
                 "tag_list": ["kitchen", "blue"],
                 "dimensions": "{\\"height_cm\\":9.5,\\"weight\\":{\\"value\\":0.35,\\"unit\\":\\"kg\\"}}",
                 "weight": 0.35,
                 "one": [42],
                 "nope": null,
                 "css": null,
                 "skus": ["M-1", "M-2", "M-3"]}""", data);
    }

    @Test
    void aTopLevelKeyWinsOverADeeperOne() throws Exception {
        byte[] body = """
                [{"item": {"name": "deep"}}, {"name": "shallow", "price": "n/a"}, {"more": {"price": "3.50"}}]"""
                .getBytes(StandardCharsets.UTF_8);
        assertJson("{\"name\": \"shallow\", \"price\": 3.5}",
                extract("{\"name\": \"string\", \"price\": \"number\"}", body, JSON));
    }

    @Test
    void jsonIsRecognisedByItsContentTypeOrItsFirstByte() throws Exception {
        byte[] body = "  \n{\"price\": \"9.99\"}".getBytes(StandardCharsets.UTF_8);
        String spec = "{\"price\": \"number\", \"p\": {\"json\": \"/price\"}}";
        String expected = "{\"price\": 9.99, \"p\": \"9.99\"}";
        for (String type : new String[] {JSON, "application/vnd.api+json; charset=utf-8", "text/json", "text/plain",
                null, "", "text/html", "application/octet-stream"}) {
            assertJson(expected, extract(spec, body, type), String.valueOf(type));
        }
        // declared JSON that is not: nothing to find, nothing thrown
        assertJson("{\"price\": null, \"p\": null}",
                extract(spec, "<html><meta name=price content=5></html>".getBytes(StandardCharsets.UTF_8), JSON));
    }

    @Test
    void aWindows1252PageDeclaredOnlyByItsMetaCharset() throws Exception {
        byte[] page = Pages.bytes("windows-1252.html");
        // the saved file really is windows-1252: é is one byte 0xE9 and € is 0x80
        assertTrue(indexOf(page, (byte) 0xE9) > 0 && indexOf(page, (byte) 0x80) > 0);
        assertEquals("windows-1252", Extractor.charsetOf("text/html", page, page.length).name());

        ObjectNode data = extract("""
                {"heading": {"css": "h1"}, "title": "string", "price": {"css": ".price", "type": "number"},
                 "quote": {"css": ".quote"}, "prix": {"regex": "Prix : ([^<]+)"}}""", page, "text/html");
        assertJson("""
                {"heading": "Café crème", "title": "Café crème – 5 €", "price": 12.5,
                 "quote": "“Délicieux” — Élodie", "prix": "12,50 €"}""", data);
    }

    @Test
    void anIso88591PageDeclaredOnlyByTheHeader() throws Exception {
        byte[] page = Pages.bytes("iso-8859-1.html");
        assertTrue(indexOf(page, (byte) 0xE8) > 0, "è is one byte");
        String spec = """
                {"heading": {"css": "h1"}, "price": {"css": ".price", "type": "number"},
                 "note": {"regex": "Größe: ([^<]+)"}}""";
        String header = "text/html; charset=ISO-8859-1";
        assertEquals("ISO-8859-1", Extractor.charsetOf(header, page, page.length).name());
        assertJson("{\"heading\": \"Crème brûlée\", \"price\": 4.9, \"note\": \"½ Portion\"}",
                extract(spec, page, header));
        assertJson("{\"heading\": \"Crème brûlée\", \"price\": 4.9, \"note\": \"½ Portion\"}",
                extract(spec, page, "text/html;charset=\"iso-8859-1\""), "a quoted charset");

        // without the header nothing says so, and the bytes are read as UTF-8
        assertEquals(StandardCharsets.UTF_8, Extractor.charsetOf("text/html", page, page.length));
        ObjectNode undeclared = extract(spec, page, "text/html");
        assertEquals("Cr\uFFFDme br\uFFFDl\uFFFDe", undeclared.get("heading").textValue());
        assertTrue(undeclared.get("note").isNull());
    }

    @Test
    void theCharsetIsABomThenTheHeaderThenTheMetaThenUtf8() throws Exception {
        byte[] meta1252 = "<html><head><meta charset=windows-1252></head></html>".getBytes(StandardCharsets.US_ASCII);
        assertEquals("windows-1252", Extractor.charsetOf("text/html", meta1252, meta1252.length).name());
        assertEquals("ISO-8859-1", Extractor.charsetOf("text/html; charset=iso-8859-1", meta1252, meta1252.length).name(),
                "the header beats the page");
        assertEquals("windows-1252", Extractor.charsetOf("text/html; charset=no-such-charset", meta1252,
                meta1252.length).name(), "an unknown header charset counts as none");
        assertEquals(StandardCharsets.UTF_8, Extractor.charsetOf("application/json", meta1252, meta1252.length),
                "only HTML is searched for <meta>");

        byte[] httpEquiv = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-15\">"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("ISO-8859-15", Extractor.charsetOf(null, httpEquiv, httpEquiv.length).name());

        byte[] bom = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'p', '>', (byte) 0xC3, (byte) 0xA9};
        assertEquals(StandardCharsets.UTF_8, Extractor.charsetOf("text/html; charset=iso-8859-1", bom, bom.length));
        byte[] utf16 = "\uFEFF<p>é</p>".getBytes(StandardCharsets.UTF_16BE);
        assertEquals(StandardCharsets.UTF_16BE, Extractor.charsetOf(null, utf16, utf16.length));
        assertJson("{\"p\": \"é\", \"r\": \"é\"}", extract("{\"p\": {\"css\": \"p\"}, \"r\": {\"regex\": \"<p>(.)\"}}",
                utf16, null));

        assertEquals(StandardCharsets.UTF_8, Extractor.charsetOf(null, new byte[0], 0));
        assertEquals(StandardCharsets.UTF_8, Extractor.charsetOf(null, null, 10));
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsTheBody() throws Exception {
        byte[] buffer = new byte[4096];
        byte[] page = "<h1>Kept</h1><p class=x>12</p>".getBytes(StandardCharsets.UTF_8);
        byte[] beyond = "<p class=y>99</p> SECRET".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(page, 0, buffer, 0, page.length);
        System.arraycopy(beyond, 0, buffer, page.length, beyond.length);
        ObjectNode data = new Extractor().extract(Pages.extraction("""
                {"h": {"css": "h1"}, "x": {"css": ".x", "type": "integer"}, "y": {"css": ".y"},
                 "secret": {"regex": "SECRET"}}"""), buffer, page.length, "text/html");
        assertJson("{\"h\": \"Kept\", \"x\": 12, \"y\": null, \"secret\": null}", data);
    }

    @Test
    void oneExtractorServesManyThreads() throws Exception {
        Extraction extraction = Pages.extraction("""
                {"name": "string", "price": "number", "stars": {"css": ".stars", "all": true, "type": "integer"},
                 "deep": {"css": "main > ul li:has(span.stars) + li"}, "sku": {"regex": "SKU: (\\\\S+)"}}""");
        Extractor extractor = new Extractor();
        byte[] page = Pages.bytes("product-jsonld.html");
        ObjectNode expected = extractor.extract(extraction, page, page.length, HTML);
        assertJson("""
                {"name": "Blue mug", "price": 12.5, "stars": [5, 4, null], "deep": "4 A bit heavy", "sku": "MUG-0042"}""",
                expected);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ObjectNode>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> extractor.extract(extraction, page, page.length, HTML)));
            }
            for (Future<ObjectNode> result : results) {
                assertEquals(expected, result.get());
            }
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
