package dev.cxpm.registry.publish;

import dev.cxpm.registry.storage.search.NameVariants;
import java.util.Collection;
import java.util.Optional;

/**
 * Refuses a new plugin name that a reader could mistake for an existing one (squatting on a
 * popular name): equal once separators are dropped and confusable characters folded
 * ({@code github-triage}, {@code github_triage}, {@code g1thub-triage} are one name), or one
 * typo away on names long enough for a typo to be the likely story (6+ characters).
 * Applied only against plugins the publisher does not own, and not to admins. The storage files every name under
 * its {@link NameVariants}, so only the few names sharing one are compared here.
 */
final class LookAlikeNames {

    static final int MIN_LENGTH_FOR_EDIT_DISTANCE = 6;

    private LookAlikeNames() {
    }

    /** Lower case, separators dropped, digits and letter pairs that read alike folded to one letter. */
    static String skeleton(String name) {
        return NameVariants.skeleton(name);
    }

    /** The first existing name the candidate could pass for, if any (the candidate itself excluded). */
    static Optional<String> confusableWith(String candidate, Collection<String> existing) {
        String k = skeleton(candidate);
        for (String e : existing) {
            if (e.equals(candidate)) {
                continue;
            }
            String ek = skeleton(e);
            if (ek.equals(k) || (Math.min(k.length(), ek.length()) >= MIN_LENGTH_FOR_EDIT_DISTANCE && withinOneEdit(k, ek))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** At most one insertion, deletion, substitution or swap of neighbours (a typo), in one pass. */
    static boolean withinOneEdit(String a, String b) {
        if (a.length() == b.length()) {
            int i = 0;
            while (i < a.length() && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            if (i >= a.length() - 1) {
                return true;
            }
            boolean swapped = a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
                    && a.substring(i + 2).equals(b.substring(i + 2));
            return swapped || a.substring(i + 1).equals(b.substring(i + 1));
        }
        if (Math.abs(a.length() - b.length()) > 1) {
            return false;
        }
        if (a.length() > b.length()) {
            String t = a;
            a = b;
            b = t;
        }
        int i = 0;
        int j = 0;
        boolean edited = false;
        while (i < a.length() && j < b.length()) {
            if (a.charAt(i) == b.charAt(j)) {
                i++;
                j++;
                continue;
            }
            if (edited) {
                return false;
            }
            edited = true;
            if (a.length() == b.length()) {
                i++;
            }
            j++;
        }
        return true;
    }
}
