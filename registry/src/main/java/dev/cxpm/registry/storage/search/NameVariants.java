package dev.cxpm.registry.storage.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a plugin name is filed for the look-alike check (publish's LookAlikeNames): under its skeleton (lower case,
 * separators dropped, characters that read alike folded) and under each skeleton with one character deleted. Two
 * skeletons that are equal, or one insertion, deletion, substitution or swap of neighbours apart, always share one of
 * these keys, so the names a new one could pass for are found by an indexed lookup of its keys.
 */
public final class NameVariants {

    private NameVariants() {
    }

    /** Lower case, separators dropped, digits and letter pairs that read alike folded to one letter. */
    public static String skeleton(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[-._]", "");
        s = s.replace("rn", "m").replace("vv", "w").replace("cl", "d");
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(switch (c) {
                case '0' -> 'o';
                case '1', 'i' -> 'l';
                case '3' -> 'e';
                case '5' -> 's';
                case '4' -> 'a';
                case '7' -> 't';
                case '8' -> 'b';
                default -> c;
            });
        }
        return b.toString();
    }

    /** The skeleton and its one-deletion variants (at most the name's length plus one, all distinct). */
    public static List<String> of(String name) {
        String k = skeleton(name);
        Set<String> out = new LinkedHashSet<>();
        out.add(k);
        for (int i = 0; i < k.length(); i++) {
            out.add(k.substring(0, i) + k.substring(i + 1));
        }
        return new ArrayList<>(out);
    }
}
