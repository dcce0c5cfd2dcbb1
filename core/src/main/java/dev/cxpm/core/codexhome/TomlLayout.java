package dev.cxpm.core.codexhome;

import dev.cxpm.core.codexhome.TomlLines.Item;
import dev.cxpm.core.codexhome.TomlLines.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        StringBuilder sb = new StringBuilder(root);
        for (Table t : tables) {
            sb.append(t.text());
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

    /** Adds a new table where toml_edit would write it; body lines must each end in LF. */
    void insert(List<String> path, String body) {
        int after = insertionPoint(path);
        boolean first = after == 0 && !hasKeyValues(root);
        tables.add(after, new Table(first ? "" : "\n", header(path), body, path, false));
    }

    static String header(List<String> path) {
        // loops, not streams: a sync writes one header per plugin, and a fresh JVM ran each stream interpreted
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < path.size(); k++) {
            b.append(k == 0 ? "" : ".").append(formatKey(path.get(k)));
        }
        return b.append("]\n").toString();
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
        return (int) text.chars().filter(c -> c == '\n').count();
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
                        tables.add(0, new Table(hasKeyValues(root) ? "\n" : "", header(at), body.toString(), at, false));
                    } else {
                        tables.add(insertionPoint(at), new Table("\n", header(at), body.toString(), at, false));
                    }
                    break;
                }
            }
        }
    }

    /**
     * The index in {@link #tables} the new table goes to. toml_edit sorts tables by position and a new
     * table takes the position of the nearest positioned table before it in a depth-first walk of the
     * document tree (children in first-seen order), so it lands after that table, stably.
     */
    int insertionPoint(List<String> path) {
        Node rootNode = new Node(false);
        rootNode.positions.add(0);
        addDotted(rootNode, List.of(), dottedKeys(root));
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            Node n = descend(rootNode, t.path, false);
            n.dotted = false;
            n.positions.add(i + 1);
            addDotted(rootNode, t.path, t.arrayOfTables ? List.of() : dottedKeys(t.body));
        }
        Node fresh = descend(rootNode, path, false);
        fresh.isNew = true;
        int[] last = {0};
        int[] found = {-1};
        walk(rootNode, last, found);
        return found[0];
    }

    private static void addDotted(Node rootNode, List<String> base, List<List<String>> dotted) {
        for (List<String> keys : dotted) {
            List<String> full = new ArrayList<>(base);
            full.addAll(keys);
            descend(rootNode, full, true);
        }
    }

    private static Node descend(Node from, List<String> path, boolean dotted) {
        Node n = from;
        for (String key : path) {
            n = n.children.computeIfAbsent(key, k -> new Node(dotted));
        }
        return n;
    }

    private static void walk(Node n, int[] last, int[] found) {
        if (found[0] >= 0) {
            return;
        }
        if (n.isNew) {
            found[0] = last[0];
            return;
        }
        if (!n.positions.isEmpty()) {
            last[0] = n.positions.getLast();
        }
        for (Node c : n.children.values()) {
            walk(c, last, found);
        }
    }

    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        final List<Integer> positions = new ArrayList<>();
        boolean dotted;
        boolean isNew;

        Node(boolean dotted) {
            this.dotted = dotted;
        }
    }

    // ---- parsing ----

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

    /** Key prefixes of the dotted keys in a body ({@code a.b.c = 1} gives {@code [a, b]}), relative to its table. */
    private static List<List<String>> dottedKeys(String body) {
        List<List<String>> out = new ArrayList<>();
        for (Item it : new TomlLines(body).items()) {
            if (it.kind() == Kind.KEY_VALUE && it.keys().size() > 1) {
                out.add(it.keys().subList(0, it.keys().size() - 1));
            }
        }
        return out;
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    static boolean hasKeyValues(String rootText) {
        return new TomlLines(rootText).items().stream().anyMatch(it -> it.kind() == Kind.KEY_VALUE);
    }

    /** A key as toml_edit writes a new one: bare when it can be, else a basic string. */
    static String formatKey(String key) {
        boolean bare = !key.isEmpty();
        for (int k = 0; bare && k < key.length(); k++) {
            char c = key.charAt(k);
            bare = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
        }
        return bare ? key : formatString(key);
    }

    /** A string value as toml_edit writes a new one. */
    static String formatString(String value) {
        boolean needsEscape = false;
        for (int k = 0; !needsEscape && k < value.length(); k++) {
            char c = value.charAt(k);
            needsEscape = c < 0x20 || c == 0x7f;
        }
        if (!needsEscape && (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) && value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return Objects.toString(text());
    }
}
