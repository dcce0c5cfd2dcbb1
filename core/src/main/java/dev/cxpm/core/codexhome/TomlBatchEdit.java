package dev.cxpm.core.codexhome;

import dev.cxpm.core.codexhome.TomlLayout.Entry;
import dev.cxpm.core.codexhome.TomlLayout.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Many edits of one {@link TomlLayout} made at once, with the bytes the same edits made one at a time
 * would give: a sync sets the flags of hundreds of plugins, and rescanning the file for each one made it
 * quadratic. The file's key/values and tables are looked up by path from an index built in one pass,
 * valid until the layout changes other than through this class (then build a new one).
 */
final class TomlBatchEdit {

    private final TomlLayout layout;
    private final Map<List<String>, Entry> entries = new HashMap<>();
    private final Map<List<String>, Entry> fromAbove = new HashMap<>();
    private final Map<List<String>, Table> tables = new HashMap<>();
    /** Paths with a table under them or an array of tables at them: a new [header] there is not simply the next sibling. */
    private final Set<List<String>> crowded = new HashSet<>();
    /** The first two keys of every path the file sets or has a table at: a path of two keys not among them is new. */
    private final Set<List<String>> named = new HashSet<>();

    TomlBatchEdit(TomlLayout layout) {
        this.layout = layout;
        for (Entry e : layout.entries()) {
            entries.putIfAbsent(e.keys(), e);
            int from = e.table() == null ? 1 : e.table().path.size() + 1;
            for (int n = from; n <= e.keys().size(); n++) {
                fromAbove.putIfAbsent(e.keys().subList(0, n), e);
            }
            name(e.keys());
        }
        for (Table t : layout.tables) {
            if (!t.arrayOfTables) {
                tables.putIfAbsent(t.path, t);
            } else {
                crowded.add(t.path);
            }
            for (int n = 1; n < t.path.size(); n++) {
                crowded.add(t.path.subList(0, n));
            }
            name(t.path);
        }
    }

    private void name(List<String> path) {
        if (path.size() >= 2) {
            named.add(path.size() == 2 ? path : path.subList(0, 2));
        }
    }

    /**
     * Nothing in the file at, under or above this path of two keys ({@code plugins}, an id): no key/value, table, array
     * of tables or dotted key, so {@link #entry}, {@link #table} and {@link #definingFromAbove} of it and of anything
     * under it are null and it is not {@link #crowded}. One look-up for what is five for a path the file names.
     */
    boolean absent(List<String> path) {
        return !named.contains(path);
    }

    /** The first key/value setting exactly keys, or null (as {@link TomlLayout#setValue} finds it). */
    Entry entry(List<String> keys) {
        return entries.get(keys);
    }

    /** The [header] table at path, or null (as {@link TomlLayout#find}). */
    Table table(List<String> path) {
        return tables.get(path);
    }

    /** As {@link TomlLayout#definingFromAbove}. */
    Entry definingFromAbove(List<String> path) {
        return fromAbove.get(path);
    }

    boolean crowded(List<String> path) {
        return crowded.contains(path);
    }

    /**
     * Replaces several entries' lines at once (each as {@link TomlLayout#replace} would; "" removes it):
     * each body is cut up and rebuilt once, however many of its lines change.
     */
    void replaceAll(Map<Entry, String> lines) {
        replaceAll(layout, lines);
    }

    private static void replaceAll(TomlLayout layout, Map<Entry, String> lines) {
        Map<Table, Map<Integer, String>> byBody = new IdentityHashMap<>();
        Map<Integer, String> inRoot = new HashMap<>();
        lines.forEach((e, text) -> (e.table() == null ? inRoot : byBody.computeIfAbsent(e.table(), t -> new HashMap<>())).put(e.index(), text));
        if (!inRoot.isEmpty()) {
            layout.root = TomlLayout.rebuilt(layout.root, inRoot);
        }
        byBody.forEach((t, changes) -> t.body = TomlLayout.rebuilt(t.body, changes));
    }

    /**
     * Adds new sibling tables (same parent, none of them in the file or crowded by a table under it) in
     * order, as {@link TomlLayout#insert} called for each would: toml_edit puts the first after the last
     * positioned table before it in its walk of the document, and each next one right after the one
     * before, so only the first needs that walk.
     */
    void insertSiblings(List<List<String>> paths, List<String> bodies) {
        if (paths.isEmpty()) {
            return;
        }
        int after = layout.insertionPoint(paths.get(0));
        boolean first = after == 0 && !TomlLayout.hasKeyValues(layout.root);
        List<Table> fresh = new ArrayList<>(paths.size());
        for (int k = 0; k < paths.size(); k++) {
            fresh.add(new Table(first && k == 0 ? "" : "\n", TomlKeys.header(paths.get(k)), bodies.get(k), paths.get(k), false));
        }
        layout.tables.addAll(after, fresh);
    }

    /**
     * Removes the tables at and under each path and every key/value defining one from above, as
     * {@link TomlLayout#removeAll} for each would. Needs no index, so it takes the layout itself.
     */
    static void removeEach(TomlLayout layout, Collection<List<String>> paths) {
        Set<List<String>> gone = new HashSet<>(paths);
        Set<Integer> depths = new TreeSet<>();
        paths.forEach(p -> depths.add(p.size()));
        BiPredicate<List<String>, Integer> under = (keys, tableDepth) -> {
            for (int d : depths) {
                if (keys.size() >= d && d > tableDepth && gone.contains(keys.subList(0, d))) {
                    return true;
                }
            }
            return false;
        };
        layout.tables.removeIf(t -> under.test(t.path, -1));
        Map<Entry, String> dropped = new IdentityHashMap<>(); // each entry one object: no record hashCode over its whole line
        for (Entry e : layout.entries()) {
            if (under.test(e.keys(), e.table() == null ? 0 : e.table().path.size())) {
                dropped.put(e, "");
            }
        }
        replaceAll(layout, dropped);
    }
}
