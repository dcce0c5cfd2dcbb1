package dev.cxpm.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the tests of the readers cxpm writes by hand beside Jackson ({@code PlainJson}, {@code TomlTree}) share: many
 * texts, generated and mutated with a fixed seed so that a failure can be replayed, each held to Jackson's tree, and
 * that tree written out with every node's type and its keys in order (JsonNode.equals ignores the order of keys).
 */
public final class HandReaderTexts {
    private HandReaderTexts() {
    }

    /**
     * The corpus, 3,000 texts from generator and 12,000 mutations of those with characters from noise, each given to
     * agrees (which fails the test where the hand reader and Jackson differ); how many the hand reader read itself.
     */
    public static int readHere(List<String> corpus, Function<Random, String> generator, String noise, Predicate<String> agrees) {
        Random random = new Random(12);
        List<String> texts = new ArrayList<>(corpus);
        for (int n = 0; n < 3000; n++) {
            texts.add(generator.apply(random));
        }
        int base = texts.size();
        for (int n = 0; n < 12000; n++) {
            texts.add(mutated(texts.get(random.nextInt(base)), random, noise));
        }
        return (int) texts.stream().filter(agrees).count();
    }

    /** The tree with each node's type and keys in order. */
    public static String shape(JsonNode n) {
        StringBuilder b = new StringBuilder();
        shape(n, b);
        return b.toString();
    }

    private static void shape(JsonNode n, StringBuilder b) {
        if (n.isObject()) {
            b.append('{');
            n.properties().forEach(e -> {
                b.append('"').append(e.getKey()).append("\":");
                shape(e.getValue(), b);
                b.append(',');
            });
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (JsonNode c : n) {
                shape(c, b);
                b.append(',');
            }
            b.append(']');
        } else {
            b.append(n.getClass().getSimpleName()).append('(').append(n).append(')');
        }
    }

    /** One to three characters of text inserted, deleted or replaced by one from noise. */
    private static String mutated(String text, Random r, String noise) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
            int at = b.isEmpty() ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> b.insert(at, noise.charAt(r.nextInt(noise.length())));
                case 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < b.length()) {
                        b.setCharAt(at, noise.charAt(r.nextInt(noise.length())));
                    }
                }
            }
        }
        return b.toString();
    }

    public static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
