package dev.cxpm.registry.search;

import dev.cxpm.core.EditDistance;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.jdbc.Dialect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Search that tolerates a typo, as the client's search does ({@code githb} finds github-triage): only when the
 * search as typed found nothing, each word of 4 to 64 letters that no known word starts with is replaced by the
 * nearest word of a plugin's name, display name or keywords within the client's allowance ({@link EditDistance}: one
 * edit up to 7 letters, two above). The words compared are those sharing the first letter and about the length
 * ({@link RegistryDatabase#wordsNear}, an index range bounded by {@link #CANDIDATES}), never every plugin.
 */
final class TypoSearch {

    static final int CANDIDATES = 2000;
    private static final int SHORTEST = 4;
    private static final int LONGEST = 64;

    private final RegistryDatabase db;

    TypoSearch(RegistryDatabase db) {
        this.db = db;
    }

    /** Runs the search as typed, and when it finds nothing and a word can be corrected, again with the corrections. */
    PluginSearch.Tolerant search(String text, Function<String, PluginSearch.Result> search) {
        PluginSearch.Result exact = search.apply(text);
        if (exact.total() > 0 || text == null || text.isBlank()) {
            return new PluginSearch.Tolerant(exact, Optional.empty());
        }
        Optional<String> corrected = correct(text);
        Optional<PluginSearch.Result> found = corrected.map(search).filter(r -> r.total() > 0);
        return found.isPresent() ? new PluginSearch.Tolerant(found.get(), corrected) : new PluginSearch.Tolerant(exact, Optional.empty());
    }

    /** The query with its misspelt words corrected, or empty when no word could be (or needed to be). */
    Optional<String> correct(String text) {
        List<String> words = Dialect.words(text);
        List<String> out = new ArrayList<>();
        boolean changed = false;
        for (String w : words) {
            String c = correctWord(w);
            changed |= !c.equals(w);
            out.add(c);
        }
        return changed ? Optional.of(String.join(" ", out)) : Optional.empty();
    }

    private String correctWord(String w) {
        if (w.length() < SHORTEST || w.length() > LONGEST) {
            return w;
        }
        int allowed = w.length() <= 7 ? 1 : 2;
        List<String> near = db.wordsNear(w, Math.max(allowed, 1), CANDIDATES);
        if (near.stream().anyMatch(n -> n.startsWith(w))) {
            return w; // search matches prefixes: this word was found, another one was not
        }
        return near.stream().filter(n -> EditDistance.between(w, n) <= allowed)
                .min(Comparator.comparingInt((String n) -> EditDistance.between(w, n)).thenComparing(n -> n))
                .orElse(w);
    }
}
