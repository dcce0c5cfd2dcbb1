package dev.cxpm.testkit;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Inputs near a given one, for tests that hold a hand-written reader to the library or regular expression it replaced:
 * each mutation inserts a character of the noise at a random place or deletes one, and they pile up on each other,
 * starting again from the value every {@code restartEvery} mutations. Seeded: the same inputs on every run.
 */
public final class Mutations {
    private Mutations() {
    }

    /** Gives check the value itself, then count mutations of it. */
    public static void of(String value, String noise, int count, int restartEvery, long seed, Consumer<String> check) {
        Random random = new Random(seed);
        check.accept(value);
        StringBuilder b = new StringBuilder(value);
        for (int n = 0; n < count; n++) {
            if (n % restartEvery == 0) {
                b.setLength(0);
                b.append(value);
            }
            int at = random.nextInt(b.length() + 1);
            if (random.nextBoolean() || at == b.length()) {
                b.insert(at, noise.charAt(random.nextInt(noise.length())));
            } else {
                b.deleteCharAt(at);
            }
            check.accept(b.toString());
        }
    }
}
