package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoercionTest {

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            $1,299.00           | 1299.0
            1.299,00 €          | 1299.0
            12,5                | 12.5
            € 12.50             | 12.5
            USD 12              | 12.0
            1 299,00            | 1299.0
            1\u00A0299,00 €     | 1299.0
            1'299.50 CHF        | 1299.5
            -3.5                | -3.5
            Total: −3.5         | -3.5
            SKU-123             | 123.0
            1e3                 | 1000.0
            2.5E-2              | 0.025
            12.50 - 15.00       | 12.5
            1,299               | 1299.0
            0,125               | 0.125
            1234,567            | 1234.567
            1.299.000           | 1299000.0
            1,23,45,678.00      | 12345678.0
            .5                  | 0.5
            4 items             | 4.0
            Call 555 1234       | 555.0
            from 39.99          | 39.99
            1,2,3               | 1.0
            3eggs               | 3.0
            free                | null
            ''                  | null
            '   '               | null
            n/a                 | null
            """)
    void numbersFromText(String text, Double expected) {
        assertEquals(expected, Coercion.number(text));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            1,299               | 1299
            $1,299.00           | 1299
            4 items             | 4
            4.0                 | 4
            -17                 | -17
            1e3                 | 1000
            12.5                | null
            12,5                | null
            99999999999999999999 | null
            none                | null
            """)
    void integersFromText(String text, Long expected) {
        assertEquals(expected, Coercion.integer(text));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            true                          | true
            FALSE                         | false
            ' yes '                       | true
            no                            | false
            1                             | true
            0                             | false
            on                            | true
            off                           | false
            https://schema.org/InStock    | true
            http://schema.org/OutOfStock  | false
            InStock                       | true
            schema:SoldOut                | false
            https://schema.org/PreOrder   | true
            Discontinued                  | false
            maybe                         | null
            2                             | null
            ''                            | null
            """)
    void booleansFromText(String text, Boolean expected) {
        assertEquals(expected, Coercion.bool(text));
    }

    @ParameterizedTest(name = "\"{0}\" → \"{1}\"")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            '  Blue   mug  '         | Blue mug
            'Blue\n\t mug'           | Blue mug
            'a\u00A0\u00A0b'         | a b
            ''                       | null
            ' \n '                   | null
            """)
    void stringsAreTrimmedAndCollapsed(String text, String expected) {
        assertEquals(expected, Coercion.text(text.replace("\\n", "\n").replace("\\t", "\t")));
    }

    @Test
    void aLongTextIsCutAtTheLimit() {
        String text = Coercion.text("x".repeat(Coercion.MAX_TEXT_CHARS * 2));
        assertEquals(Coercion.MAX_TEXT_CHARS, text.length());
        // a cut never leaves half a surrogate pair behind
        String emoji = Coercion.text("a" + "😀".repeat(Coercion.MAX_TEXT_CHARS));
        assertTrue(emoji.length() <= Coercion.MAX_TEXT_CHARS);
        assertTrue(Character.isLowSurrogate(emoji.charAt(emoji.length() - 1)));
    }

    @Test
    void hugeOrEndlessDigitsGiveNullQuickly() {
        assertNull(Coercion.number("1".repeat(5_000_000)));
        assertNull(Coercion.integer("9".repeat(150)));
        assertEquals(1.0e300, Coercion.number("1e300"));
        assertEquals(1.0, Coercion.number("1e9999"), "an exponent of four digits is not read as one");
    }

    @Test
    void jsonValuesAsEachType() throws Exception {
        JsonNode values = Json.parse("""
                {"int": 12, "dec": 12.50, "big": 1e999999, "whole": 4.0, "text": "$1,299.00", "yes": true,
                 "one": 1, "two": 2, "obj": {"a": 1}, "arr": [1, 2], "nul": null}""");
        assertEquals(12.0, Coercion.fromJson(values.get("int"), ValueType.NUMBER, false).doubleValue());
        assertEquals(12.5, Coercion.fromJson(values.get("dec"), ValueType.NUMBER, false).doubleValue());
        assertNull(Coercion.fromJson(values.get("big"), ValueType.NUMBER, false), "not finite as a double");
        assertNull(Coercion.fromJson(values.get("big"), ValueType.INTEGER, false));
        assertEquals(1299.0, Coercion.fromJson(values.get("text"), ValueType.NUMBER, false).doubleValue());

        assertEquals(12L, Coercion.fromJson(values.get("int"), ValueType.INTEGER, false).longValue());
        assertEquals(4L, Coercion.fromJson(values.get("whole"), ValueType.INTEGER, false).longValue());
        assertNull(Coercion.fromJson(values.get("dec"), ValueType.INTEGER, false));

        // the service mapper drops trailing zeros of decimals as it reads them
        assertEquals("12.5", Coercion.fromJson(values.get("dec"), ValueType.STRING, false).textValue());
        assertEquals("1000000", Coercion.fromJson(Json.parse("1e6"), ValueType.STRING, false).textValue());
        assertEquals("12", Coercion.fromJson(values.get("int"), ValueType.STRING, false).textValue());
        assertEquals("true", Coercion.fromJson(values.get("yes"), ValueType.STRING, false).textValue());

        assertEquals(true, Coercion.fromJson(values.get("yes"), ValueType.BOOLEAN, false).booleanValue());
        assertEquals(true, Coercion.fromJson(values.get("one"), ValueType.BOOLEAN, false).booleanValue());
        assertNull(Coercion.fromJson(values.get("two"), ValueType.BOOLEAN, false));
        assertNull(Coercion.fromJson(values.get("yes"), ValueType.NUMBER, false));

        // a structure is no value for a type word, but is its JSON text for a json pointer aimed at it
        assertNull(Coercion.fromJson(values.get("obj"), ValueType.STRING, false));
        assertEquals("{\"a\":1}", Coercion.fromJson(values.get("obj"), ValueType.STRING, true).textValue());
        assertEquals("[1,2]", Coercion.fromJson(values.get("arr"), ValueType.STRING, true).textValue());
        assertNull(Coercion.fromJson(values.get("arr"), ValueType.NUMBER, true));
        assertNull(Coercion.fromJson(values.get("nul"), ValueType.STRING, true));
        assertNull(Coercion.fromJson(values.get("absent"), ValueType.STRING, true));
    }

    @Test
    void textAsEachTypeGivesJsonNodes() {
        assertEquals(1299.0, Coercion.fromText("$1,299.00", ValueType.NUMBER).doubleValue());
        assertTrue(Coercion.fromText("$1,299.00", ValueType.NUMBER).isDouble());
        assertTrue(Coercion.fromText("1,299", ValueType.INTEGER).isLong());
        assertEquals(false, Coercion.fromText("OutOfStock", ValueType.BOOLEAN).booleanValue());
        assertEquals("Blue mug", Coercion.fromText(" Blue  mug ", ValueType.STRING).textValue());
        assertNull(Coercion.fromText(null, ValueType.STRING));
        assertNull(Coercion.fromText("free", ValueType.NUMBER));
    }
}
