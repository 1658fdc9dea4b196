package dev.trawl.core.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.trawl.core.util.Json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns what a page holds into a field's type; null whenever it cannot, never an exception.
 * <ul>
 * <li><b>string</b>: text trimmed with runs of whitespace collapsed to one space, cut at {@value #MAX_TEXT_CHARS}
 * characters; empty text is null. JSON numbers and booleans become their text. A JSON object or array is null for a
 * type word, which names a value, but its compact JSON text for the json form, whose pointer may aim at a subtree on
 * purpose.</li>
 * <li><b>number</b>: the first number in the text, whatever surrounds it ({@code "USD 12"}, {@code "12.50 - 15.00"}).
 * Grouping and decimal marks are read as people write prices: of two different marks the last is the decimal
 * ({@code "1,299.00"}, {@code "1.299,00"}, {@code "1 299,00"}); a mark repeated is grouping ({@code "1.299.000"}); a
 * lone {@code .} is decimal; a lone {@code ,} is grouping before exactly three digits after a group of one to three
 * ({@code "1,299"}) and decimal otherwise ({@code "12,5"}, {@code "0,125"}); spaces and apostrophes group only.</li>
 * <li><b>integer</b>: the same first number when it has no fractional part ({@code "1,299"} → 1299, {@code "4.0"} → 4,
 * {@code "4 items"} → 4, {@code "12.5"} → null) and fits in 64 bits.</li>
 * <li><b>boolean</b>: true/false, yes/no, y/n, 1/0, on/off, and schema.org availability, true for the states in which
 * the item can be ordered ({@code InStock}, {@code LimitedAvailability}, {@code PreOrder}, ...) and false for
 * {@code OutOfStock}, {@code SoldOut} and {@code Discontinued}; JSON numbers 1 and 0.</li>
 * </ul>
 */
final class Coercion {
    static final int MAX_TEXT_CHARS = 65_536;
    private static final int MAX_DIGITS = 100;

    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1", "on", "instock", "instoreonly",
            "onlineonly", "limitedavailability", "preorder", "presale", "backorder", "madetoorder");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "0", "off", "outofstock", "soldout",
            "discontinued");

    private Coercion() {
    }

    /** Text from the page (an element's text, an attribute, a meta tag's content, a regex group) as {@code type}. */
    static JsonNode fromText(String text, ValueType type) {
        if (text == null) {
            return null;
        }
        return switch (type) {
            case STRING -> textNode(text(text));
            case NUMBER -> {
                Double number = number(text);
                yield number == null ? null : DoubleNode.valueOf(number);
            }
            case INTEGER -> {
                Long integer = integer(text);
                yield integer == null ? null : LongNode.valueOf(integer);
            }
            case BOOLEAN -> {
                Boolean bool = bool(text);
                yield bool == null ? null : BooleanNode.valueOf(bool);
            }
        };
    }

    /**
     * A JSON value as {@code type}.
     *
     * @param structureAsText whether an object or array becomes its JSON text when {@code type} is string
     */
    static JsonNode fromJson(JsonNode value, ValueType type, boolean structureAsText) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return fromText(value.textValue(), type);
        }
        if (value.isContainerNode()) {
            return type == ValueType.STRING && structureAsText ? textNode(cut(Json.write(value))) : null;
        }
        return switch (type) {
            case STRING -> textNode(value.isNumber() ? plain(value) : value.asText());
            case NUMBER -> value.isNumber() && Double.isFinite(value.doubleValue())
                    ? DoubleNode.valueOf(value.doubleValue()) : null;
            case INTEGER -> {
                Long integer = value.isNumber() ? whole(value.decimalValue()) : null;
                yield integer == null ? null : LongNode.valueOf(integer);
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    yield BooleanNode.valueOf(value.booleanValue());
                }
                Long integer = value.isNumber() ? whole(value.decimalValue()) : null;
                yield integer == null || (integer != 0 && integer != 1) ? null : BooleanNode.valueOf(integer == 1);
            }
        };
    }

    /** Trimmed, whitespace collapsed, cut to {@value #MAX_TEXT_CHARS} characters; null when nothing is left. */
    static String text(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT_CHARS));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= MAX_TEXT_CHARS; i++) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.isEmpty() ? null : cut(out.toString());
    }

    static Double number(String text) {
        BigDecimal number = firstNumber(text);
        if (number == null) {
            return null;
        }
        double value = number.doubleValue();
        return Double.isFinite(value) ? value : null;
    }

    static Long integer(String text) {
        BigDecimal number = firstNumber(text);
        return number == null ? null : whole(number);
    }

    static Boolean bool(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"https://schema.org/", "http://schema.org/", "schema:"}) {
            if (word.startsWith(prefix)) {
                word = word.substring(prefix.length());
            }
        }
        if (TRUE.contains(word)) {
            return true;
        }
        return FALSE.contains(word) ? false : null;
    }

    /** The first number written in {@code text}, read by the rules in the class comment; null when there is none. */
    static BigDecimal firstNumber(String text) {
        int start = 0;
        while (start < text.length() && !isDigit(text.charAt(start))) {
            start++;
        }
        if (start == text.length()) {
            return null;
        }
        return new NumberReader(text, start).read();
    }

    private static final class NumberReader {
        private final String text;
        private final int start;
        private final StringBuilder groups = new StringBuilder();
        private int pos;

        NumberReader(String text, int start) {
            this.text = text;
            this.start = start;
            this.pos = start;
        }

        /**
         * Reads digit groups and the marks between them into {@code groups}, marks as written and spaces as ' ',
         * then decides which mark, if any, is the decimal one.
         */
        BigDecimal read() {
            StringBuilder marks = new StringBuilder();
            List<Integer> lengths = new ArrayList<>();
            lengths.add(digits());
            while (groups.length() <= MAX_DIGITS && pos < text.length()) {
                char c = text.charAt(pos);
                char mark = isSpace(c) ? ' ' : c == '\u2019' ? '\'' : c;
                boolean digitNext = pos + 1 < text.length() && isDigit(text.charAt(pos + 1));
                boolean accepted = switch (mark) {
                    case '.', ',' -> digitNext;
                    case '\'' -> digitNext && threeDigitsAt(pos + 1);
                    // a space groups only before exactly three digits ("1 299"), so "4 items" and "555 1234" stay apart
                    case ' ' -> digitNext && threeDigitsAt(pos + 1) && lengths.getFirst() <= 3;
                    default -> false;
                };
                if (!accepted) {
                    break;
                }
                marks.append(mark);
                pos++;
                lengths.add(digits());
            }
            if (groups.length() > MAX_DIGITS) {
                return null;
            }
            String digits = groups.toString();
            String sign = negative() ? "-" : "";
            String number = interpret(digits, marks.toString(), lengths);
            String exponent = marks.isEmpty() || marks.toString().equals(".") ? exponent() : "";
            try {
                return new BigDecimal(sign + leadingDecimal() + number + exponent);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Digits at {@code pos}, appended to {@code groups}; how many. */
        private int digits() {
            int from = pos;
            while (pos < text.length() && isDigit(text.charAt(pos)) && groups.length() <= MAX_DIGITS) {
                groups.append(text.charAt(pos));
                pos++;
            }
            return pos - from;
        }

        private boolean threeDigitsAt(int at) {
            return at + 3 <= text.length() && isDigit(text.charAt(at)) && isDigit(text.charAt(at + 1))
                    && isDigit(text.charAt(at + 2)) && (at + 3 == text.length() || !isDigit(text.charAt(at + 3)));
        }

        /**
         * The digits as a plain decimal string; only the first group when the marks group the digits in no way
         * people write ("1,2,3").
         */
        private static String interpret(String digits, String marks, List<Integer> lengths) {
            if (marks.isEmpty()) {
                return digits;
            }
            boolean lastIsDecimal = lastIsDecimal(digits, marks, lengths);
            int groupMarks = lastIsDecimal ? marks.length() - 1 : marks.length();
            for (int i = 0; i < groupMarks; i++) {
                // one grouping mark throughout; groups of two are Indian style (1,23,45,678), the last always three
                int length = lengths.get(i + 1);
                boolean lastGroup = i == groupMarks - 1;
                if (marks.charAt(i) != marks.charAt(0) || (lastGroup ? length != 3 : length < 2 || length > 3)) {
                    return digits.substring(0, lengths.getFirst());
                }
            }
            if (groupMarks > 0 && lengths.getFirst() > 3) {
                return digits.substring(0, lengths.getFirst());
            }
            if (!lastIsDecimal) {
                return digits;
            }
            int fraction = lengths.getLast();
            return digits.substring(0, digits.length() - fraction) + "." + digits.substring(digits.length() - fraction);
        }

        /** Of two different marks the last is decimal; a repeated mark groups; so does a lone ',' in "1,299". */
        private static boolean lastIsDecimal(String digits, String marks, List<Integer> lengths) {
            char last = marks.charAt(marks.length() - 1);
            if ((last != '.' && last != ',') || marks.indexOf(last) != marks.length() - 1) {
                return false;
            }
            if (marks.length() > 1 || last == '.') {
                return true;
            }
            boolean looksGrouped = lengths.get(1) == 3 && lengths.get(0) <= 3 && digits.charAt(0) != '0';
            return !looksGrouped;
        }

        /** "0." when the number was written ".5". */
        private String leadingDecimal() {
            boolean dotBefore = start > 0 && text.charAt(start - 1) == '.'
                    && (start < 2 || !isDigit(text.charAt(start - 2)));
            return dotBefore ? "0." : "";
        }

        /** A minus sign right before the number (or its leading dot) that is not a hyphen inside a word. */
        private boolean negative() {
            int at = start - 1;
            if (at >= 0 && text.charAt(at) == '.' && !leadingDecimal().isEmpty()) {
                at--;
            }
            if (at < 0 || (text.charAt(at) != '-' && text.charAt(at) != '\u2212')) {
                return false;
            }
            return at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
        }

        /** An exponent of at most three digits right after the number ("1e3"), or "". */
        private String exponent() {
            if (pos >= text.length() || (text.charAt(pos) != 'e' && text.charAt(pos) != 'E')) {
                return "";
            }
            int at = pos + 1;
            if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            int digitsFrom = at;
            while (at < text.length() && isDigit(text.charAt(at)) && at - digitsFrom < 4) {
                at++;
            }
            int count = at - digitsFrom;
            boolean endsThere = at == text.length() || !Character.isLetterOrDigit(text.charAt(at));
            return count >= 1 && count <= 3 && endsThere ? text.substring(pos, at) : "";
        }
    }

    /** The number as a long when it is whole and fits; null otherwise. */
    private static Long whole(BigDecimal number) {
        if (number.signum() == 0) {
            return 0L;
        }
        // checked before stripTrailingZeros and longValueExact, which would work through a huge exponent digit by digit
        if (number.precision() - number.scale() > 19) {
            return null;
        }
        try {
            return number.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** A JSON number as people write it (1E+3 is 1000); a huge exponent keeps the E form rather than pages of zeros. */
    private static String plain(JsonNode number) {
        if (!number.isBigDecimal() && !number.isFloatingPointNumber()) {
            return number.asText();
        }
        BigDecimal value = number.decimalValue();
        int magnitude = value.precision() - value.scale();
        return magnitude > -30 && magnitude < 30 ? value.toPlainString() : value.toString();
    }

    private static TextNode textNode(String text) {
        return text == null ? null : TextNode.valueOf(text);
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        // never split a surrogate pair
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        return text.substring(0, end);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
