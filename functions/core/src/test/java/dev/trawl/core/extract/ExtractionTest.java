package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.error.InvalidInput;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractionTest {
    private static final String PATH = "defaults.extract";

    private static Extraction parse(String json) throws Exception {
        return Extraction.parse(Json.parse(json), PATH);
    }

    /** Asserts a 400 naming {@code field}, with a message that names it too and says {@code saying}. */
    private static void assertInvalid(String json, String field, String saying) {
        InvalidInput error = assertThrows(InvalidInput.class, () -> parse(json), json.length() > 200 ? "(long)" : json);
        assertEquals("invalid_request", error.code());
        assertEquals(field, error.field());
        assertTrue(error.getMessage().contains(saying), () -> "message: " + error.getMessage());
    }

    @Test
    void readsEveryFormWithItsDefaults() throws Exception {
        Extraction extraction = parse("""
                {"name": "string", "price": "number", "stock": "integer", "available": "boolean",
                 "title": {"css": "title"},
                 "image": {"css": "meta[property=og:image]", "attr": "content"},
                 "ratings": {"css": ".stars", "all": true, "type": "integer"},
                 "sku": {"json": "/data/sku"},
                 "prices": {"json": "/data/variants", "all": true, "type": "number"},
                 "code": {"regex": "SKU: ([A-Z]+)-(\\\\d+)"},
                 "whole": {"regex": "\\\\d+ items", "type": "integer"},
                 "digits": {"regex": "SKU: ([A-Z]+)-(\\\\d+)", "group": 2, "all": true}}""");

        assertEquals(List.of("name", "price", "stock", "available", "title", "image", "ratings", "sku", "prices", "code",
                "whole", "digits"), extraction.fieldNames(), "the client's order");
        Map<String, FieldSpec> fields = extraction.fields();
        assertEquals(new FieldSpec.Named(ValueType.STRING), fields.get("name"));
        assertEquals(new FieldSpec.Named(ValueType.NUMBER), fields.get("price"));
        assertEquals(new FieldSpec.Named(ValueType.INTEGER), fields.get("stock"));
        assertEquals(new FieldSpec.Named(ValueType.BOOLEAN), fields.get("available"));
        assertEquals(new FieldSpec.Css("title", null, false, ValueType.STRING), fields.get("title"));
        assertEquals(new FieldSpec.Css("meta[property=og:image]", "content", false, ValueType.STRING), fields.get("image"));
        assertEquals(new FieldSpec.Css(".stars", null, true, ValueType.INTEGER), fields.get("ratings"));
        assertEquals(new FieldSpec.Pointer("/data/sku", false, ValueType.STRING), fields.get("sku"));
        assertEquals(new FieldSpec.Pointer("/data/variants", true, ValueType.NUMBER), fields.get("prices"));
        // a pattern with a group gives group 1 by default, one without gives the whole match
        assertEquals(new FieldSpec.Regex("SKU: ([A-Z]+)-(\\d+)", 1, false, ValueType.STRING), fields.get("code"));
        assertEquals(new FieldSpec.Regex("\\d+ items", 0, false, ValueType.INTEGER), fields.get("whole"));
        assertEquals(new FieldSpec.Regex("SKU: ([A-Z]+)-(\\d+)", 2, true, ValueType.STRING), fields.get("digits"));
    }

    @Test
    void nullOptionalKeysMeanTheirDefaults() throws Exception {
        Extraction extraction = parse("""
                {"a": {"css": "h1", "attr": null, "all": null, "type": null},
                 "b": {"regex": "(x)", "group": null}}""");
        assertEquals(new FieldSpec.Css("h1", null, false, ValueType.STRING), extraction.fields().get("a"));
        assertEquals(new FieldSpec.Regex("(x)", 1, false, ValueType.STRING), extraction.fields().get("b"));
    }

    @Test
    void anEmptyExtractionIsAllowed() throws Exception {
        Extraction extraction = parse("{}");
        assertTrue(extraction.fields().isEmpty());
        assertEquals(List.of(), extraction.columns());
    }

    @Test
    void theCompiledSelectorAndPatternAreKeptWithTheSpec() throws Exception {
        Extraction extraction = parse("""
                {"a": {"css": "div > p.price"}, "b": {"regex": "(\\\\d+)"}}""");
        FieldSpec.Css css = assertInstanceOf(FieldSpec.Css.class, extraction.fields().get("a"));
        assertEquals("div > p.price", css.evaluator().toString());
        FieldSpec.Regex regex = assertInstanceOf(FieldSpec.Regex.class, extraction.fields().get("b"));
        assertEquals("12", regex.regex().group("abc 12 def", 1));
    }

    @Test
    void columnsFollowTheFieldsWithListsAsJsonStrings() throws Exception {
        Extraction extraction = parse("""
                {"name": "string", "price": "number", "stock": "integer", "available": "boolean",
                 "ratings": {"css": ".stars", "all": true, "type": "integer"},
                 "sku": {"json": "/sku", "type": "integer"},
                 "code": {"regex": "x", "type": "boolean"}}""");
        assertEquals(List.of(
                new Extraction.Column("name", ValueType.STRING, false),
                new Extraction.Column("price", ValueType.NUMBER, false),
                new Extraction.Column("stock", ValueType.INTEGER, false),
                new Extraction.Column("available", ValueType.BOOLEAN, false),
                new Extraction.Column("ratings", ValueType.STRING, true),
                new Extraction.Column("sku", ValueType.INTEGER, false),
                new Extraction.Column("code", ValueType.BOOLEAN, false)), extraction.columns());
    }

    @Test
    void toJsonWritesTheDefaultsOutAndReadsBackEqual() throws Exception {
        Extraction extraction = parse("""
                {"zeta": "number",
                 "title": {"css": "title"},
                 "image": {"css": "a.main", "attr": "abs:href", "all": true, "type": "string"},
                 "pointer": {"json": "/a~1b/0/c~0d", "type": "integer"},
                 "whole": {"json": ""},
                 "code": {"regex": "SKU: (\\\\w+)", "all": true},
                 "alpha": "boolean"}""");
        JsonNode stored = extraction.toJson();
        assertEquals(Json.parse("""
                {"zeta": "number",
                 "title": {"css": "title", "all": false, "type": "string"},
                 "image": {"css": "a.main", "attr": "abs:href", "all": true, "type": "string"},
                 "pointer": {"json": "/a~1b/0/c~0d", "all": false, "type": "integer"},
                 "whole": {"json": "", "all": false, "type": "string"},
                 "code": {"regex": "SKU: (\\\\w+)", "group": 1, "all": true, "type": "string"},
                 "alpha": "boolean"}"""), stored);

        // through text, as the job store keeps it
        Extraction back = Extraction.fromJson(Json.parse(Json.write(stored)));
        assertEquals(extraction, back);
        assertEquals(extraction.fieldNames(), back.fieldNames(), "order kept");
        assertEquals(stored, back.toJson());
        // what toJson writes is itself a valid request
        assertEquals(extraction, Extraction.parse(stored, PATH));
        // and the rebuilt specs work: their selector and pattern were compiled again
        FieldSpec.Regex code = assertInstanceOf(FieldSpec.Regex.class, back.fields().get("code"));
        assertEquals("AB1", code.regex().group("SKU: AB1", code.group()));
        FieldSpec.Css image = assertInstanceOf(FieldSpec.Css.class, back.fields().get("image"));
        assertEquals("a.main", image.evaluator().toString());
    }

    @Test
    void specsAreEqualByTheirSourceNotTheirCompiledForm() {
        assertEquals(new FieldSpec.Css("p", "x", true, ValueType.NUMBER), new FieldSpec.Css("p", "x", true, ValueType.NUMBER));
        assertEquals(new FieldSpec.Css("p", "x", true, ValueType.NUMBER).hashCode(),
                new FieldSpec.Css("p", "x", true, ValueType.NUMBER).hashCode());
        assertFalse(new FieldSpec.Css("p", "x", true, ValueType.NUMBER).equals(new FieldSpec.Css("p", null, true,
                ValueType.NUMBER)));
        assertEquals(new FieldSpec.Regex("(a)", 1, false, ValueType.STRING),
                new FieldSpec.Regex("(a)", 1, false, ValueType.STRING));
        assertFalse(new FieldSpec.Regex("(a)", 1, false, ValueType.STRING)
                .equals(new FieldSpec.Regex("(a)", 0, false, ValueType.STRING)));
        assertThrows(IllegalArgumentException.class, () -> new FieldSpec.Regex("(a)", 2, false, ValueType.STRING));
    }

    @Test
    void valueTypesByTheirWireWords() {
        for (ValueType type : ValueType.values()) {
            assertEquals(type, ValueType.fromWire(type.wire()).orElseThrow());
        }
        assertEquals("number", ValueType.NUMBER.wire());
        assertTrue(ValueType.fromWire("Number").isEmpty());
        assertTrue(ValueType.fromWire("float").isEmpty());
        assertTrue(ValueType.fromWire(null).isEmpty());
    }

    // ---- refused requests ------------------------------------------------------------------------------

    @Test
    void theExtractMustBeAnObject() {
        assertInvalid("[]", PATH, "must be a JSON object");
        assertInvalid("\"price\"", PATH, "must be a JSON object");
        assertInvalid("null", PATH, "must be a JSON object");
    }

    @Test
    void atMostFiftyFields() throws Exception {
        StringBuilder fifty = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            fifty.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": \"string\"");
        }
        assertEquals(50, parse(fifty + "}").fields().size());
        assertInvalid(fifty + ", \"f50\": \"string\"}", PATH, "at most 50 fields");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''
            image-url
            image url
            prix_€
            data.price
            """)
    void fieldNamesAreLettersDigitsAndUnderscores(String name) {
        assertInvalid("{\"" + name + "\": \"string\"}", PATH + "." + name, "not a valid field name");
    }

    @Test
    void fieldNamesUpToSixtyFourCharacters() throws Exception {
        String longest = "a".repeat(64);
        assertEquals(List.of(longest, "Image_URL_2"), parse("{\"" + longest + "\": \"string\", \"Image_URL_2\": \"number\"}")
                .fieldNames());
        String tooLong = "a".repeat(65);
        assertInvalid("{\"" + tooLong + "\": \"string\"}", PATH + "." + tooLong, "1 to 64");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "float"
            "Number"
            ""
            12
            true
            null
            ["string"]
            """)
    void aSpecIsATypeWordOrAnObject(String spec) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price", "must be a type word");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {}
            {"type": "number"}
            {"css": "h1", "json": "/a"}
            {"css": "h1", "regex": "a"}
            {"json": "/a", "regex": "a", "css": "p"}
            """)
    void anObjectHoldsExactlyOneOfCssJsonRegex(String spec) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price", "exactly one of css, json or regex");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"css": "h1", "selector": "h2"}      | selector | a css spec takes css, attr, all and type
            {"css": "h1", "group": 1}            | group    | a css spec takes css, attr, all and type
            {"json": "/a", "attr": "content"}    | attr     | a json spec takes json, all and type
            {"regex": "a", "attr": "href"}       | attr     | a regex spec takes regex, group, all and type
            {"regex": "a", "flags": "i"}         | flags    | a regex spec takes regex, group, all and type
            """)
    void unknownKeysAreRefused(String spec, String key, String saying) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, "Unknown field 'defaults.extract.price."
                + key + "'");
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, saying);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"css": 12}                  | css  | must be a string
            {"css": ""}                  | css  | must not be empty
            {"css": "  "}                | css  | must not be empty
            {"css": "div >"}             | css  | is not a valid CSS selector
            {"css": "a[href"}            | css  | is not a valid CSS selector
            {"css": "p:nosuch"}          | css  | is not a valid CSS selector
            {"css": "div:has("}          | css  | is not a valid CSS selector
            {"css": "p, "}               | css  | is not a valid CSS selector
            {"css": "p", "attr": 1}      | attr | must be a string
            {"css": "p", "attr": " "}    | attr | must name an attribute
            {"css": "p", "all": "yes"}   | all  | must be true or false
            {"css": "p", "type": "float"}| type | must be one of "string", "number", "integer" or "boolean"
            {"css": "p", "type": 1}      | type | must be one of
            """)
    void cssSpecsAreChecked(String spec, String key, String saying) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, "defaults.extract.price." + key + " ");
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, saying);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            p:matches((a+)+$)
            p:matchesOwn(x)
            div:has(p:MATCHES(x))
            [title~=a+]
            p:matchesWholeText(x)
            """)
    void selectorsThatRunUnboundedRegularExpressionsAreRefused(String selector) {
        assertInvalid("{\"price\": {\"css\": \"" + selector + "\"}}", PATH + ".price.css", "use a regex spec");
    }

    @Test
    void regexWordsInsideQuotedValuesAreFine() throws Exception {
        Extraction extraction = parse("{\"a\": {\"css\": \"[data-x=':matches(']\"}, \"b\": {\"css\": \"p:contains(a~b)\"}}");
        assertEquals(2, extraction.fields().size());
    }

    @Test
    void expressionsAreAtMostAThousandCharacters() throws Exception {
        String selector = "[data-x='" + "x".repeat(989) + "']";
        assertEquals(1000, selector.length());
        assertEquals(1, parse("{\"a\": {\"css\": \"" + selector + "\"}}").fields().size());
        assertInvalid("{\"a\": {\"css\": \"" + selector + " \"}}", PATH + ".a.css", "at most 1000 characters");
        // jsoup bounds how complex a selector may be, short of the length limit
        assertInvalid("{\"a\": {\"css\": \"" + "p" + " > p".repeat(200) + "\"}}", PATH + ".a.css",
                "is not a valid CSS selector");
        assertInvalid("{\"a\": {\"regex\": \"" + "x".repeat(1001) + "\"}}", PATH + ".a.regex", "at most 1000 characters");
        assertInvalid("{\"a\": {\"json\": \"/" + "x".repeat(1000) + "\"}}", PATH + ".a.json", "at most 1000 characters");
        assertEquals(1, parse("{\"a\": {\"regex\": \"" + "x".repeat(1000) + "\"}}").fields().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"json": "a/b"}              | json | must be a JSON pointer
            {"json": "#/a"}              | json | must be a JSON pointer
            {"json": 1}                  | json | must be a string
            {"json": "/a", "all": 1}     | all  | must be true or false
            {"json": "/a", "type": "int"}| type | must be one of
            """)
    void jsonSpecsAreChecked(String spec, String key, String saying) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, saying);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"regex": "([a-z"}                | regex | is not a valid regular expression: Unclosed character class
            {"regex": "(a"}                   | regex | is not a valid regular expression
            {"regex": "*a"}                   | regex | is not a valid regular expression
            {"regex": ""}                     | regex | must not be empty
            {"regex": ["a"]}                  | regex | must be a string
            {"regex": "(a)(b)", "group": 3}   | group | from 0 to 2: the pattern has 2 groups
            {"regex": "a", "group": 1}        | group | from 0 to 0: the pattern has 0 groups
            {"regex": "(a)", "group": -1}     | group | from 0 to 1: the pattern has 1 group.
            {"regex": "(a)", "group": 1.5}    | group | must be a whole number
            {"regex": "(a)", "group": "1"}    | group | must be a whole number
            {"regex": "(a)", "type": "bool"}  | type  | must be one of
            """)
    void regexSpecsAreChecked(String spec, String key, String saying) {
        assertInvalid("{\"price\": " + spec + "}", PATH + ".price." + key, saying);
    }

    @Test
    void namedGroupsAndZeroAreAccepted() throws Exception {
        Extraction extraction = parse("{\"a\": {\"regex\": \"(?<sku>\\\\w+)-(\\\\d+)\", \"group\": 0}}");
        FieldSpec.Regex regex = assertInstanceOf(FieldSpec.Regex.class, extraction.fields().get("a"));
        assertEquals(0, regex.group());
        assertEquals(2, regex.regex().groupCount());
    }

    @Test
    void anEmptyPathNamesTheFieldAlone() {
        InvalidInput error = assertThrows(InvalidInput.class, () -> Extraction.parse(Json.parse("{\"p\": {\"css\": \"a[\"}}"), ""));
        assertEquals("p.css", error.field());
        assertNull(assertThrows(InvalidInput.class, () -> Extraction.parse(null, PATH)).getCause());
    }
}
