package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.trawl.core.extract.Pages.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No body makes extraction throw: garbage, binary, truncated, huge, deep, or of the wrong declared type. */
class HostileBodiesTest {
    /** One field of every form, none of which garbage can satisfy. */
    private static final String SPEC = """
            {"name": "string", "price": "number", "title": {"css": "title"}, "h1": {"css": "h1", "all": true},
             "sku": {"json": "/sku"}, "code": {"regex": "SKU: ([A-Z]+-\\\\d{4})"},
             "codes": {"regex": "SKU: ([A-Z]+-\\\\d{4})", "all": true}}""";
    private static final Extraction EXTRACTION = Pages.extraction(SPEC);
    private static final String[] CONTENT_TYPES = {null, "", "text/html", "text/html; charset=utf-8",
            "text/html; charset=", "text/html; charset=\"", "text/html; charset=utf-99", "application/json", "text/plain",
            "image/png", "application/octet-stream", ";;;", "text/html; charset=UTF-16", "application/ld+json"};

    private final Extractor extractor = new Extractor();

    private ObjectNode extract(byte[] body, String contentType) {
        return extractor.extract(EXTRACTION, body, body == null ? 0 : body.length, contentType);
    }

    private static void assertAllFieldsPresent(ObjectNode data) {
        assertEquals(EXTRACTION.fieldNames(), iterableToList(data));
    }

    private static java.util.List<String> iterableToList(ObjectNode data) {
        java.util.List<String> names = new java.util.ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void randomBytesGiveNullsUnderEveryContentType() {
        Random random = new Random(20_260_101L);
        for (int size : new int[] {0, 1, 2, 3, 17, 1024, 70_000}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            for (String type : CONTENT_TYPES) {
                ObjectNode data = extract(body, type);
                assertAllFieldsPresent(data);
                for (String field : new String[] {"name", "price", "title", "sku", "code"}) {
                    assertTrue(data.get(field).isNull(), size + " bytes as " + type + ": " + data);
                }
            }
        }
    }

    @Test
    void aPngIsNotParsedButItsTextCanStillBeSearched() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0,
                '<', 't', 'i', 't', 'l', 'e', '>', 'x', '<', '/', 't', 'i', 't', 'l', 'e', '>'};
        assertJson("""
                {"title": null, "chunk": "IHDR"}""", extractor.extract(Pages.extraction("""
                {"title": {"css": "title"}, "chunk": {"regex": "IHDR"}}"""), png, png.length, "image/png"));
        // the same bytes declared as HTML are parsed as such
        assertJson("""
                {"title": "x", "chunk": "IHDR"}""", extractor.extract(Pages.extraction("""
                {"title": {"css": "title"}, "chunk": {"regex": "IHDR"}}"""), png, png.length, "text/html"));
    }

    @Test
    void truncatedPagesGiveWhatTheyStillHold() {
        String page = """
                <html><head><title>Blue mug</title>
                <script type="application/ld+json">{"@type": "Product", "name": "Blue""";
        ObjectNode data = extract(page.getBytes(StandardCharsets.UTF_8), "text/html");
        assertJson("""
                {"name": null, "price": null, "title": "Blue mug", "h1": [], "sku": null, "code": null, "codes": []}""",
                data, "the broken JSON-LD hides nothing else");

        byte[] json = "{\"sku\": \"A-1\", \"name\": \"Blue".getBytes(StandardCharsets.UTF_8);
        assertJson("""
                {"name": null, "price": null, "title": null, "h1": null, "sku": null, "code": null, "codes": []}""",
                extract(json, "application/json"));

        byte[] cut = "<h1>Blue mug</h1><p>SKU: MUG-0042</p><h1>Red m".getBytes(StandardCharsets.UTF_8);
        assertJson("""
                {"name": null, "price": null, "title": null, "h1": ["Blue mug", "Red m"], "sku": null,
                 "code": "MUG-0042", "codes": ["MUG-0042"]}""", extract(cut, null));
    }

    @Test
    void nullEmptyAndOddLengthsAreEmptyBodies() {
        String nothing = """
                {"name": null, "price": null, "title": null, "h1": [], "sku": null, "code": null, "codes": []}""";
        assertJson(nothing, extractor.extract(EXTRACTION, null, 100, "text/html"));
        assertJson(nothing, extractor.extract(EXTRACTION, new byte[0], 0, null));
        assertJson(nothing, extractor.extract(EXTRACTION, "<h1>x</h1>".getBytes(StandardCharsets.UTF_8), -5, null));
        byte[] page = "<h1>x</h1>".getBytes(StandardCharsets.UTF_8);
        assertJson("""
                {"name": null, "price": null, "title": null, "h1": ["x"], "sku": null, "code": null, "codes": []}""",
                extractor.extract(EXTRACTION, page, page.length + 1_000, null), "a length past the buffer is the buffer");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHugePageStillYieldsItsFields() {
        StringBuilder page = new StringBuilder("<html><head><title>Big</title></head><body>");
        while (page.length() < 8_000_000) {
            page.append("<div class=row><span>filler text ").append(page.length()).append("</span></div>\n");
        }
        page.append("<h1>At the end</h1><p>SKU: END-0001</p></body></html>");
        byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
        // A regex field has a time budget per page; the first scan of 8 MB in a cold JVM on a busy machine can use it up
        // (the field is then null, by design), so the page is read once before the reading that is judged.
        extract(body, "text/html");
        ObjectNode data = extract(body, "text/html");
        assertJson("""
                {"name": null, "price": null, "title": "Big", "h1": ["At the end"], "sku": null, "code": "END-0001",
                 "codes": ["END-0001"]}""", data);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aListStopsAtItsLimit() {
        String page = "<ul>" + "<li>1</li>".repeat(Extractor.MAX_ITEMS + 500) + "</ul>";
        ObjectNode data = extractor.extract(Pages.extraction("""
                {"items": {"css": "li", "all": true, "type": "integer"}, "digits": {"regex": "\\\\d", "all": true}}"""),
                page.getBytes(StandardCharsets.UTF_8), page.length(), "text/html");
        assertEquals(Extractor.MAX_ITEMS, data.get("items").size());
        assertEquals(Extractor.MAX_ITEMS, data.get("digits").size());
        assertEquals(1, data.get("items").get(0).intValue());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deeplyNestedBodiesDoNotOverflowTheStack() {
        String deepJson = "[".repeat(100_000) + "]".repeat(100_000);
        ObjectNode data = extract(deepJson.getBytes(StandardCharsets.UTF_8), "application/json");
        assertAllFieldsPresent(data);
        assertTrue(data.get("sku").isNull() && data.get("name").isNull());

        String deepHtml = "<div>".repeat(200_000) + "<h1>deep</h1>" + "</div>".repeat(200_000);
        assertJson("""
                {"name": null, "price": null, "title": null, "h1": ["deep"], "sku": null, "code": null, "codes": []}""",
                extract(deepHtml.getBytes(StandardCharsets.UTF_8), "text/html"));

        String deepLd = "<script type=application/ld+json>" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)
                + "</script><title>t</title>";
        assertJson("""
                {"name": null, "price": null, "title": "t", "h1": [], "sku": null, "code": null, "codes": []}""",
                extract(deepLd.getBytes(StandardCharsets.UTF_8), "text/html"));
    }

    /** Each item's text is built only up to the longest value: {@code text()} of each would copy the page each time. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void listsOfNestedElementsCostTheirLimitNotThePageTimesTheirCount() {
        // jsoup nests at most 512 deep, so: 500 nested divs of 10 KB each
        String text = "text in a nested div, long enough to add up. ".repeat(220);
        String page = ("<div>" + text).repeat(500) + "</div>".repeat(500);
        ObjectNode data = extractor.extract(Pages.extraction("""
                {"divs": {"css": "div", "all": true}, "first": {"css": "div"}}"""),
                page.getBytes(StandardCharsets.UTF_8), page.length(), "text/html");
        assertEquals(500, data.get("divs").size());
        assertEquals(Coercion.MAX_TEXT_CHARS, data.get("first").textValue().length());
        assertTrue(data.get("first").textValue().startsWith("text in a nested div, long enough to add up. text in"));
        assertEquals(Coercion.MAX_TEXT_CHARS, data.get("divs").get(400).textValue().length());
        assertEquals(text.trim(), data.get("divs").get(499).textValue());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deeplyNestedMicrodataIsReadInOnePass() {
        int depth = 100_000;
        String page = "<div itemprop=brand itemscope>".repeat(depth) + "<span itemprop=name>Deep</span>"
                + "</div>".repeat(depth);
        assertJson("{\"brand\": \"Deep\", \"name\": \"Deep\"}", extractor.extract(Pages.extraction("""
                {"brand": "string", "name": "string"}"""), page.getBytes(StandardCharsets.UTF_8), page.length(),
                "text/html"));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCatastrophicPatternGivesNullWithinItsBudget() {
        byte[] body = ("a".repeat(5_000) + "!").getBytes(StandardCharsets.UTF_8);
        Extraction evil = Pages.extraction("""
                {"one": {"regex": "(.*a){12}$"}, "all": {"regex": "(a|aa)+\\\\1$", "all": true},
                 "fine": {"regex": "a{3}"}}""");
        long start = System.nanoTime();
        ObjectNode data = extractor.extract(evil, body, body.length, "text/plain");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertJson("{\"one\": null, \"all\": null, \"fine\": \"aaa\"}", data);
        assertTrue(millis < 5_000, "took " + millis + " ms");
    }

    @Test
    void theBodyArrayIsNotChanged() {
        byte[] page = Pages.bytes("product-jsonld.html");
        byte[] copy = Arrays.copyOf(page, page.length);
        extractor.extract(Pages.extraction("{\"name\": \"string\", \"h\": {\"css\": \"h1\"}, \"r\": {\"regex\": \"S\"}}"),
                page, page.length, "text/html");
        assertTrue(Arrays.equals(copy, page));
    }
}
