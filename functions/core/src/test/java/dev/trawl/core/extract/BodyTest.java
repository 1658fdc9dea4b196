package dev.trawl.core.extract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class BodyTest {

    @ParameterizedTest(name = "{0} with \"{1}\" → {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            application/json                  | <html>       | JSON
            application/problem+json          | oops         | JSON
            Application/JSON; charset=utf-8   | x            | JSON
            text/json                         | x            | JSON
            text/html                         | <html>       | HTML
            text/html                         | '  {"a": 1}' | JSON
            text/plain                        | [1, 2]       | JSON
            text/plain                        | hello        | HTML
            null                              | <p>hi</p>    | HTML
            null                              | '{"a": 1}'   | JSON
            application/xml                   | <rss/>       | HTML
            image/svg+xml                     | <svg/>       | HTML
            image/png                         | '{"a": 1}'   | BINARY
            application/pdf                   | %PDF-1.7     | BINARY
            application/octet-stream          | <html>       | BINARY
            application/octet-stream          | '{"a": 1}'   | JSON
            video/mp4                         | x            | BINARY
            """)
    void theKindOfABody(String contentType, String start, Body.Kind kind) {
        byte[] bytes = start.getBytes(StandardCharsets.UTF_8);
        assertEquals(kind, Body.kindOf(contentType, bytes, bytes.length));
    }

    @Test
    void aJsonBodyAfterAByteOrderMarkIsJson() {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertEquals(Body.Kind.JSON, Body.kindOf(null, bytes, bytes.length));
        Body body = new Body(bytes, bytes.length, null);
        assertEquals("{}", body.text(), "the mark is not part of the text");
        assertNotNull(body.json());
    }

    @Test
    void eachFormIsMadeOnceAndOnlyForItsKind() {
        byte[] html = "<title>t</title>".getBytes(StandardCharsets.UTF_8);
        Body page = new Body(html, html.length, "text/html");
        assertSame(page.document(), page.document());
        assertSame(page.text(), page.text());
        assertSame(page.structured(), page.structured());
        assertNull(page.json(), "HTML is not read as JSON");

        byte[] json = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        Body api = new Body(json, json.length, "application/json");
        assertSame(api.json(), api.json());
        assertNull(api.document(), "JSON is not parsed as HTML");
        assertNull(api.structured());

        Body broken = new Body("{\"a\":".getBytes(StandardCharsets.UTF_8), 5, "application/json");
        assertNull(broken.json());
        assertNull(broken.json(), "a failed parse is not retried");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            text/html; charset=utf-8           | UTF-8
            text/html;charset=ISO-8859-1       | ISO-8859-1
            'text/html; Charset="Shift_JIS"'   | Shift_JIS
            text/html; q=1; charset=koi8-r     | KOI8-R
            text/html; charset=                | null
            text/html; charset=nonsense-42     | null
            'text/html; charset=?!'            | null
            text/html                          | null
            null                               | null
            """)
    void theDeclaredCharset(String contentType, String charset) {
        assertEquals(charset, Body.declaredCharset(contentType) == null ? null : Body.declaredCharset(contentType).name());
    }
}
