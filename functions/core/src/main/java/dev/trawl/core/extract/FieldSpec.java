package dev.trawl.core.extract;

import com.fasterxml.jackson.core.JsonPointer;
import dev.trawl.core.util.BoundedRegex;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

import java.util.Objects;

/**
 * How one extract field is found in a page. The css and regex forms keep their compiled selector or pattern, built
 * once with the job, so that extraction never re-parses them per page; their equality is that of the source text.
 */
public sealed interface FieldSpec {

    /** The type the value is coerced to; for a list, the type of each item. */
    ValueType type();

    /** Whether the value is a JSON array of every match rather than the first match. */
    boolean all();

    /**
     * A bare type word: the value is found by the field's own name in the page's structured data (HTML) or among the
     * keys of a JSON body.
     */
    record Named(ValueType type) implements FieldSpec {
        public Named {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public boolean all() {
            return false;
        }
    }

    /**
     * A CSS selector on HTML.
     *
     * @param attr the attribute whose value is taken ({@code abs:href} style allowed), or null for the element's text
     */
    record Css(String selector, String attr, boolean all, ValueType type, Evaluator evaluator) implements FieldSpec {
        public Css {
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(evaluator, "evaluator");
        }

        /** Compiles {@code selector}; throws jsoup's {@code SelectorParseException} when it does not parse. */
        public Css(String selector, String attr, boolean all, ValueType type) {
            this(selector, attr, all, type, QueryParser.parse(selector));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Css other && selector.equals(other.selector) && Objects.equals(attr, other.attr)
                    && all == other.all && type == other.type;
        }

        @Override
        public int hashCode() {
            return Objects.hash(selector, attr, all, type);
        }

        @Override
        public String toString() {
            return "Css[selector=" + selector + ", attr=" + attr + ", all=" + all + ", type=" + type + "]";
        }
    }

    /** An RFC 6901 JSON pointer on a JSON body; with {@code all}, an array's items are each coerced. */
    record Pointer(JsonPointer pointer, boolean all, ValueType type) implements FieldSpec {
        public Pointer {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(type, "type");
        }

        /** Compiles {@code pointer}; throws {@code IllegalArgumentException} when it is not a valid pointer. */
        public Pointer(String pointer, boolean all, ValueType type) {
            this(JsonPointer.compile(pointer), all, type);
        }
    }

    /**
     * A regular expression on the decoded body text, matched within {@link #BUDGET_MILLIS} per field and page.
     *
     * @param group the capturing group taken from each match (0 for the whole match)
     */
    record Regex(String pattern, int group, boolean all, ValueType type, BoundedRegex regex) implements FieldSpec {
        /** A pattern that backtracks past this on one page gives null for that page rather than holding the worker. */
        public static final long BUDGET_MILLIS = 50;

        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(regex, "regex");
            if (group < 0 || group > regex.groupCount()) {
                throw new IllegalArgumentException("group " + group + " is not in the pattern");
            }
        }

        /** Compiles {@code pattern}; throws {@code PatternSyntaxException} when it does not compile. */
        public Regex(String pattern, int group, boolean all, ValueType type) {
            this(pattern, group, all, type, new BoundedRegex(pattern, BUDGET_MILLIS));
        }

        /**
         * The group taken when the client names none: the first capturing group when the pattern has one, since a
         * client who writes a group almost always wants what it captures (e.g. {@code "SKU: (\\w+)"}); else the whole
         * match.
         */
        public static int defaultGroup(BoundedRegex regex) {
            return regex.groupCount() > 0 ? 1 : 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regex other && pattern.equals(other.pattern) && group == other.group
                    && all == other.all && type == other.type;
        }

        @Override
        public int hashCode() {
            return Objects.hash(pattern, group, all, type);
        }

        @Override
        public String toString() {
            return "Regex[pattern=" + pattern + ", group=" + group + ", all=" + all + ", type=" + type + "]";
        }
    }
}
