package dev.trawl.core.http;

import dev.trawl.core.http.JsonText.Arr;
import dev.trawl.core.http.JsonText.Member;
import dev.trawl.core.http.JsonText.Obj;
import dev.trawl.core.http.JsonText.Raw;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** JSON values of every wrong kind, and the mutations that put them into an otherwise valid request. */
final class HostileJson {
    private static final String[] NUMBERS = {"0", "-0", "-0.0", "0.0", "1", "-1", "0.5", "1.0", "1.5", "1e2", "1E+2",
            "10e-1", "1e309", "-1e309", "1e-400", "4.9e-324", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999",
            "1e999999999", "1E-999999999", "1e2147483648", "-1e-2147483649", "1e99999999999", "1.5e-2147483647",
            "100e2147483647", "0e-2147483648", "0.0000000000000000000001",
            "123456789.123456789e-5", "1000.000", "6", "59", "65", "257", "999", "1001", "86401", "120001",
            "1000001", "2592001", "52428801", "1073741825", "1" + "0".repeat(99), "9".repeat(101), "0." + "0".repeat(120) + "1"};
    private static final String[] NOT_JSON = {"NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10",
            "undefined", "'x'", "tru", "nul", "1e", "--1", "\"open", "/* c */ 1", "1 2", "", "]", "}", ",", ":"};
    private static final String[] NUMERIC_TEXT = {"", " ", "0", "-0", "1e309", "NaN", "Infinity", "5%", "100.0001%",
            "-5%", "1e3%", "٥%", "%", "50 %", " 5%\t", "1,000", "0x1F", "١٢", "true", "null", "GET", "get", "HEAD "};
    private static final String[] NEAR_MISS_KEYS = {"Name", "NAME", "name ", " name", "timeoutMs", "timeout", "render",
            "proxy_type", "webhook", "webhook_secret", "priority", "url", "urls", "meta", "extract", "defaults", "id",
            "status", "", "\u0000", "__proto__", "nаme", "input", "output", "concurrency", "headers", "method"};

    private HostileJson() {
    }

    static final Gen<Object> SCALAR = Gen.frequency(
            Gen.weight(30, Gen.elements(NUMBERS).map(Raw::new)),
            Gen.weight(10, random -> random.nextLong()),
            Gen.weight(15, Gen.elements(NUMERIC_TEXT)),
            Gen.weight(20, HostileText.ANY),
            Gen.weight(10, Gen.elements(true, false)),
            Gen.weight(10, Gen.constant(null)));

    /** Any value, mostly of the wrong type wherever it lands. */
    static final Gen<Object> VALUE = Gen.frequency(
            Gen.weight(70, SCALAR),
            Gen.weight(8, random -> new Obj()),
            Gen.weight(8, random -> new Arr()),
            Gen.weight(8, random -> nested(random, random.nextInt(1, 8))),
            Gen.weight(3, random -> nested(random, random.nextInt(60, 70))), // around the parser's depth limit
            Gen.weight(3, Gen.elements(NOT_JSON).map(Raw::new)));

    static final Gen<String> KEY = Gen.frequency(
            Gen.weight(50, Gen.elements(NEAR_MISS_KEYS)),
            Gen.weight(50, HostileText.SHORT));

    /** Arrays and objects nested {@code depth} deep, with a scalar at the bottom. */
    static Object nested(RandomGenerator random, int depth) {
        Object value = SCALAR.next(random);
        for (int i = 0; i < depth; i++) {
            value = random.nextBoolean() ? Arr.of(value) : new Obj().with(KEY.next(random), value);
        }
        return value;
    }

    /** Text nested far deeper than any parser should follow, closed or left open. */
    static String deepText(RandomGenerator random) {
        int depth = random.nextInt(1_000, 10_001);
        String open = random.nextBoolean() ? "[" : random.nextBoolean() ? "{\"a\":" : "{\"input\":{\"urls\":[";
        String body = open.repeat(depth);
        return random.nextBoolean() ? body : body + "1" + (open.startsWith("[") ? "]" : "}").repeat(depth);
    }

    /** Changes one thing somewhere in {@code root}: a value's type or range, a key, a duplicate, an extra or a gap. */
    static void mutate(Obj root, RandomGenerator random) {
        List<Object> containers = new ArrayList<>();
        collect(root, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Obj obj) {
            mutateMembers(obj, random);
        } else {
            mutateItems((Arr) target, random);
        }
    }

    private static void mutateMembers(Obj obj, RandomGenerator random) {
        List<Member> members = obj.members();
        int op = members.isEmpty() ? 0 : random.nextInt(6);
        int at = members.isEmpty() ? 0 : random.nextInt(members.size());
        switch (op) {
            case 0 -> members.add(random.nextInt(members.size() + 1), new Member(KEY.next(random), VALUE.next(random)));
            case 1 -> members.set(at, new Member(members.get(at).key(), VALUE.next(random)));
            case 2 -> members.remove(at);
            case 3 -> members.add(random.nextInt(members.size() + 1), new Member(members.get(at).key(), VALUE.next(random)));
            case 4 -> members.set(at, new Member(KEY.next(random), members.get(at).value()));
            default -> members.set(at, new Member(members.get(at).key(), wrap(members.get(at).value(), random)));
        }
    }

    private static void mutateItems(Arr arr, RandomGenerator random) {
        List<Object> items = arr.items();
        int op = items.isEmpty() ? 0 : random.nextInt(4);
        int at = items.isEmpty() ? 0 : random.nextInt(items.size());
        switch (op) {
            case 0 -> items.add(random.nextInt(items.size() + 1), VALUE.next(random));
            case 1 -> items.set(at, VALUE.next(random));
            case 2 -> items.remove(at);
            default -> items.set(at, wrap(items.get(at), random));
        }
    }

    private static Object wrap(Object value, RandomGenerator random) {
        return random.nextBoolean() ? Arr.of(value) : new Obj().with("value", value);
    }

    private static void collect(Object value, List<Object> containers) {
        if (value instanceof Obj obj) {
            containers.add(obj);
            obj.members().forEach(m -> collect(m.value(), containers));
        } else if (value instanceof Arr arr) {
            containers.add(arr);
            arr.items().forEach(item -> collect(item, containers));
        }
    }
}
