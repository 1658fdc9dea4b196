package dev.trawl.core.http;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** A generator of test inputs: everything it makes follows from the random source, so a seed replays a run. */
@FunctionalInterface
interface Gen<T> {

    T next(RandomGenerator random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    /** A generator and how often it is picked relative to the others of a {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** Any of {@code values}, null among them if given. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        List<T> list = Arrays.asList(values.clone());
        return random -> list.get(random.nextInt(list.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> list = List.of(gens);
        return random -> list.get(random.nextInt(list.size())).next(random);
    }

    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<T>... choices) {
        int total = 0;
        for (Weighted<T> choice : choices) {
            total += choice.weight();
        }
        int sum = total;
        List<Weighted<T>> list = List.of(choices);
        return random -> {
            int pick = random.nextInt(sum);
            for (Weighted<T> choice : list) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("weights add up to " + sum);
        };
    }
}
