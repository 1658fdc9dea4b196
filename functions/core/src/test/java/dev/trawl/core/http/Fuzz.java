package dev.trawl.core.http;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs a property over generated inputs. A run's seed is random unless {@code -Dtrawl.fuzz.seed} fixes it; a failure
 * names the seed, the try and the input, so that it can be replayed and turned into a plain regression test.
 * {@code -Dtrawl.fuzz.factor} multiplies every property's tries, for a long hunt outside the normal build.
 */
final class Fuzz {
    static final long SEED = Long.getLong("trawl.fuzz.seed", new SplittableRandom().nextLong());
    static final double FACTOR = Double.parseDouble(System.getProperty("trawl.fuzz.factor", "1"));
    private static final int SHOWN_CHARS = 400;

    @FunctionalInterface
    interface Property<T> {
        void check(T input) throws Exception;
    }

    private Fuzz() {
    }

    static <T> void forAll(int tries, Gen<T> gen, Function<? super T, String> describe, Property<? super T> property) {
        int runs = (int) Math.max(1, Math.round(tries * FACTOR));
        for (int i = 0; i < runs; i++) {
            // Each try has a seed of its own, so what one try draws never shifts the inputs of the next.
            T input = gen.next(new SplittableRandom(SEED + 0x9E3779B97F4A7C15L * i));
            try {
                property.check(input);
            } catch (Throwable e) {
                throw new AssertionError("falsified on try " + (i + 1) + " of " + runs + " (replay with -Dtrawl.fuzz.seed="
                        + SEED + "): " + describe.apply(input) + "\n" + e, e);
            }
        }
    }

    /** A string as it can be read in a report: control, format and non-ASCII characters escaped, long ones cut. */
    static String shown(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() <= SHOWN_CHARS ? text
                : text.substring(0, SHOWN_CHARS / 2) + "...(" + text.length() + " chars)..."
                + text.substring(text.length() - SHOWN_CHARS / 4);
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
