package dev.trawl.core.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JSON built and written by hand, so that a test can send what a JSON library never writes: duplicate keys, numbers
 * such as {@code 1e309} or {@code -0} exactly as spelt, and tokens that are not JSON at all.
 * Values are null, Boolean, Number, String, {@link Raw}, {@link Arr} or {@link Obj}; containers are mutable.
 */
final class JsonText {

    /** A token written as it is: a number spelt a particular way, or something that is not JSON. */
    record Raw(String token) {
    }

    record Member(String key, Object value) {
    }

    record Obj(List<Member> members) {
        Obj() {
            this(new ArrayList<>());
        }

        Obj with(String key, Object value) {
            members.add(new Member(key, value));
            return this;
        }
    }

    record Arr(List<Object> items) {
        Arr() {
            this(new ArrayList<>());
        }

        static Arr of(Object... items) {
            return new Arr(new ArrayList<>(Arrays.asList(items)));
        }
    }

    private JsonText() {
    }

    /** @param asciiOnly whether to write every non-ASCII character as a {@code \\uXXXX} escape, as some clients do */
    static String write(Object value, boolean asciiOnly) {
        StringBuilder out = new StringBuilder();
        write(value, asciiOnly, out);
        return out.toString();
    }

    private static void write(Object value, boolean asciiOnly, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Number n -> out.append(n);
            case Raw raw -> out.append(raw.token());
            case String s -> string(s, asciiOnly, out);
            case Arr arr -> {
                out.append('[');
                for (int i = 0; i < arr.items().size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(arr.items().get(i), asciiOnly, out);
                }
                out.append(']');
            }
            case Obj obj -> {
                out.append('{');
                for (int i = 0; i < obj.members().size(); i++) {
                    Member member = obj.members().get(i);
                    out.append(i == 0 ? "" : ",");
                    string(member.key(), asciiOnly, out);
                    out.append(':');
                    write(member.value(), asciiOnly, out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void string(String s, boolean asciiOnly, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (asciiOnly && c > 0x7E)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
