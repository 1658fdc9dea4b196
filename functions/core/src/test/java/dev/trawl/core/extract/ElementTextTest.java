package dev.trawl.core.extract;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ElementTextTest {

    /** The bounded text is jsoup's own text() for every element of the saved pages, and of some awkward markup. */
    @ParameterizedTest
    @ValueSource(strings = {"product-jsonld.html", "product-graph.html", "microdata.html", "opengraph.html",
            "windows-1252.html", "iso-8859-1.html"})
    void isJsoupsTextForEverySavedElement(String page) throws IOException {
        byte[] bytes = Pages.bytes(page);
        assertSameTextEverywhere(Jsoup.parse(new ByteArrayInputStream(bytes), null, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<p>one</p><p>two</p>three<br>four<b>five</b> <i>six</i>",
            "<ul><li> a </li><li>b<span>c</span></li></ul><table><tr><td>x</td><td>y</td></tr></table>",
            "<div>\\n\\t<span>spaced</span>\\u00A0out&nbsp; <![CDATA[raw]]> </div><script>not text</script>",
            "<p>line<br><br>break</p><pre>  keep   this  </pre>"})
    void isJsoupsTextForAwkwardMarkup(String html) {
        assertSameTextEverywhere(Jsoup.parse(html.replace("\\n", "\n").replace("\\t", "\t").replace("\\u00A0", "\u00A0")));
    }

    private static void assertSameTextEverywhere(Document document) {
        for (Element element : document.getAllElements()) {
            assertEquals(Coercion.text(element.text()), Coercion.text(ElementText.of(element)), element.cssSelector());
        }
    }
}
