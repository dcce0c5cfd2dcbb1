package dev.cxpm.core.codexhome;

import dev.cxpm.core.codexhome.TomlLines.Item;
import dev.cxpm.core.codexhome.TomlLines.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The text of a TOML file cut into the pieces the real Codex CLI's TOML editor (Rust toml_edit) works
 * with, so cxpm can add, remove and change tables and leave every other byte as Codex would.
 *
 * <p>toml_edit attaches blank and comment lines to the next thing parsed: before a key they belong to
 * the key, before a {@code [header]} to that table (its "prefix"), and at the end of the file to the
 * document's trailing text. A table therefore owns {@code prefix + header + body}, where the body ends
 * at its last key/value. Removing a table drops exactly that; a new table is written as toml_edit
 * writes one: after the last existing table that precedes it in the document tree, preceded by one
 * blank line unless it is the first thing in the file. Lines end in LF (toml_edit normalises CRLF).
 *
 * <p>Tables TOML lets a user write other ways are handled as Codex handles them: an inline table
 * ({@code plugins = { ... }}) that is to be edited becomes a {@code [header]} table first (toml_edit's
 * {@code into_table}, which drops the line's comment too), a value set by a dotted key
 * ({@code plugins."x@y".enabled = false}) is changed where it is, and removing a table also removes the
 * dotted or inline keys that define it.
 */
final class TomlLayout {

    /** One {@code [header]} table: its prefix (blank/comment lines), header line and body. */
    static final class Table {
        String prefix;
        final String header;
        String body;
        final List<String> path;
        final boolean arrayOfTables;

        Table(String prefix, String header, String body, List<String> path, boolean arrayOfTables) {
            this.prefix = prefix;
            this.header = header;
            this.body = body;
            this.path = List.copyOf(path);
            this.arrayOfTables = arrayOfTables;
        }

        String text() {
            return prefix + header + body;
        }
    }

    /**
     * A key/value line of the root (table null) or of a table's body: the full key path it sets (the
     * table's path and its dotted key), its 1-based line in the file and its index among the lines of
     * that body.
     */
    record Entry(Table table, Item item, List<String> keys, int line, int index) {
        boolean under(List<String> path) {
            return keys.size() >= path.size() && keys.subList(0, path.size()).equals(path);
        }

        /** Set by a dotted or inline key rather than by a [header] of path or of a table under it. */
        boolean definesFromAbove(List<String> path) {
            return under(path) && (table == null || table.path.size() < path.size());
        }

        /** This line with its value replaced, keeping its spacing and comment. */
        String withValue(String value) {
            String text = item.text();
            int from = item.valueStart();
            return text.substring(0, from) + value + text.substring(from + item.value().length());
        }
    }

    String root;
    final List<Table> tables;
    String trailing;

    private TomlLayout(String root, List<Table> tables, String trailing) {
        this.root = root;
        this.tables = tables;
        this.trailing = trailing;
    }

    String text() {
        // one builder of the text's size, each table's parts appended as they are (not joined per table first)
        int size = root.length() + trailing.length();
        for (Table t : tables) {
            size += t.prefix.length() + t.header.length() + t.body.length();
        }
        StringBuilder sb = new StringBuilder(size).append(root);
        for (Table t : tables) {
            sb.append(t.prefix).append(t.header).append(t.body);
        }
        return sb.append(trailing).toString();
    }

    Table find(List<String> path) {
        for (Table t : tables) {
            if (!t.arrayOfTables && t.path.equals(path)) {
                return t;
            }
        }
        return null;
    }

    /** Removes the table at path and every table under it, as toml_edit's remove of the item does. */
    boolean remove(List<String> path) {
        return tables.removeIf(t -> t.path.size() >= path.size() && t.path.subList(0, path.size()).equals(path));
    }

    private boolean mayHoldInlineTables() {
        if (root.indexOf('{') >= 0) {
            return true;
        }
        for (Table t : tables) {
            if (!t.arrayOfTables && t.body.indexOf('{') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The index in {@link #tables} a new table at path goes to: see {@link TomlTablePlace}. */
    int insertionPoint(List<String> path) {
        return TomlTablePlace.of(this, path);
    }

    /** Adds a new table where toml_edit would write it; body lines must each end in LF. */
    void insert(List<String> path, String body) {
        int after = insertionPoint(path);
        boolean first = after == 0 && !hasKeyValues(root);
        tables.add(after, new Table(first ? "" : "\n", TomlKeys.header(path), body, path, false));
    }

    /** Every key/value of the root and of each [header] table, in file order. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        int line = collect(null, root, 1, out);
        for (Table t : tables) {
            line += lines(t.prefix) + lines(t.header);
            line = t.arrayOfTables ? line + lines(t.body) : collect(t, t.body, line, out);
        }
        return out;
    }

    private static int collect(Table t, String text, int line, List<Entry> out) {
        List<Item> items = new TomlLines(text).items();
        for (int k = 0; k < items.size(); k++) {
            Item it = items.get(k);
            if (it.kind() == Kind.KEY_VALUE) {
                List<String> keys = new ArrayList<>(t == null ? List.of() : t.path);
                keys.addAll(it.keys());
                out.add(new Entry(t, it, List.copyOf(keys), line, k));
            }
            line += lines(it.text());
        }
        return line;
    }

    private static int lines(String text) {
        // not a stream with a lambda: twice per table, interpreted on a fresh JVM
        int n = 0;
        for (int k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) {
            n++;
        }
        return n;
    }

    /** Replaces the entry's line (with its comment and line end) by text; "" removes it. */
    void replace(Entry e, String text) {
        Map<Integer, String> change = Map.of(e.index, text);
        if (e.table == null) {
            root = rebuilt(root, change);
        } else {
            e.table.body = rebuilt(e.table.body, change);
        }
    }

    /** body with the lines at the given indexes replaced; cut up and rebuilt once, however many change. */
    static String rebuilt(String body, Map<Integer, String> changes) {
        List<Item> items = new TomlLines(body).items();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < items.size(); k++) {
            sb.append(changes.getOrDefault(k, items.get(k).text()));
        }
        return sb.toString();
    }

    /** Sets the value of the key/value at exactly keys, keeping its spacing and comment; false when none. */
    boolean setValue(List<String> keys, String value) {
        for (Entry e : entries()) {
            if (e.keys.equals(keys)) {
                replace(e, e.withValue(value));
                return true;
            }
        }
        return false;
    }

    /** Removes the tables at and under path and the dotted or inline keys that define them, as toml_edit's remove does. */
    void removeAll(List<String> path) {
        remove(path);
        // One line at a time, as each removal renumbers the lines after it; bounded, however the file looks.
        for (int left = entries().size(); left > 0; left--) {
            Entry e = definingFromAbove(path);
            if (e == null) {
                return;
            }
            replace(e, "");
        }
    }

    /** The first key/value that defines path or something under it with a dotted or inline key, or null. */
    Entry definingFromAbove(List<String> path) {
        return entries().stream().filter(e -> e.definesFromAbove(path)).findFirst().orElse(null);
    }

    /**
     * Makes each inline table on the way to path ({@code plugins = {...}}, then {@code "x@y" = {...}} in
     * it) a [header] table holding the same keys, as toml_edit's into_table does before Codex edits one.
     */
    void inlineToTables(List<String> path) {
        if (!mayHoldInlineTables()) {
            return; // no '{' outside arrays of tables: nothing to make a table, and no need to cut every body up again
        }
        for (int n = 1; n <= path.size(); n++) {
            List<String> at = path.subList(0, n);
            for (Entry e : entries()) {
                if (e.keys.equals(at) && e.item.value().startsWith("{")) {
                    StringBuilder body = new StringBuilder();
                    for (String[] kv : TomlLines.inlineTable(e.item.value())) {
                        body.append(kv[0]).append(" = ").append(kv[1]).append('\n');
                    }
                    replace(e, "");
                    if (e.table == null) {
                        // Keys after a [header] belong to it, so the table comes right after the root's keys.
                        tables.add(0, new Table(hasKeyValues(root) ? "\n" : "", TomlKeys.header(at), body.toString(), at, false));
                    } else {
                        tables.add(insertionPoint(at), new Table("\n", TomlKeys.header(at), body.toString(), at, false));
                    }
                    break;
                }
            }
        }
    }

    static TomlLayout parse(String input) {
        String s = input.replace("\r\n", "\n");
        List<Item> items = new TomlLines(s).items();
        // Root body: up to its last key/value; later blank/comment lines go to the next header.
        int i = 0;
        int lastKv = -1;
        while (i < items.size() && items.get(i).kind() != Kind.HEADER) {
            if (items.get(i).kind() == Kind.KEY_VALUE) {
                lastKv = i;
            }
            i++;
        }
        String root = join(items, 0, lastKv + 1);
        int pending = lastKv + 1;
        List<Table> tables = new ArrayList<>();
        while (i < items.size()) {
            Item header = items.get(i);
            int j = i + 1;
            int bodyEnd = j;
            while (j < items.size() && items.get(j).kind() != Kind.HEADER) {
                if (items.get(j).kind() == Kind.KEY_VALUE) {
                    bodyEnd = j + 1;
                }
                j++;
            }
            tables.add(new Table(join(items, pending, i), withNewline(header.text()), join(items, i + 1, bodyEnd),
                    header.keys(), header.arrayOfTables()));
            pending = bodyEnd;
            i = j;
        }
        String trailing = join(items, pending, items.size());
        return new TomlLayout(root, tables, trailing);
    }

    private static String join(List<Item> items, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Item it = items.get(k);
            // toml_edit ends every key/value and header it writes with a newline, even the file's last.
            sb.append(it.kind() == Kind.KEY_VALUE ? withNewline(it.text()) : it.text());
        }
        return sb.toString();
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    static boolean hasKeyValues(String rootText) {
        return new TomlLines(rootText).items().stream().anyMatch(it -> it.kind() == Kind.KEY_VALUE);
    }

    @Override
    public String toString() {
        return Objects.toString(text());
    }
}
