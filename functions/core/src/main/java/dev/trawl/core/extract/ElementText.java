package dev.trawl.core.extract;

import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * An element's text, as jsoup's {@code text()} gives it (whitespace collapsed, blocks and line breaks apart), but
 * built only up to the longest value a field may hold: {@code text()} of each of a thousand nested {@code div}s on a
 * large page would copy the page a thousand times.
 */
final class ElementText {
    private ElementText() {
    }

    static String of(Element element) {
        StringBuilder out = new StringBuilder();
        NodeTraversor.filter(new NodeFilter() {
            private boolean space;

            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    append(text.getWholeText());
                } else if (node instanceof Element inner && (inner.isBlock() || inner.normalName().equals("br"))) {
                    space = true;
                }
                return out.length() > Coercion.MAX_TEXT_CHARS ? FilterResult.STOP : FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element inner && inner.isBlock()) {
                    space = true;
                }
                return FilterResult.CONTINUE;
            }

            private void append(String text) {
                for (int i = 0; i < text.length() && out.length() <= Coercion.MAX_TEXT_CHARS; i++) {
                    char c = text.charAt(i);
                    if (Coercion.isSpace(c)) {
                        space = true;
                    } else {
                        if (space && !out.isEmpty()) {
                            out.append(' ');
                        }
                        space = false;
                        out.append(c);
                    }
                }
            }
        }, element);
        return out.toString();
    }
}
