package dev.trawl.core.testing;

import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/** A port whose every call fails, for tests of what a caller does when its store or queue is down. */
public final class Failing {
    private Failing() {
    }

    /** Every call of {@code port}'s methods throws what {@code failure} gives (an unchecked exception or an error). */
    public static <T> T port(Class<T> port, Supplier<? extends Throwable> failure) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "failing " + port.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            throw failure.get();
        }));
    }
}
