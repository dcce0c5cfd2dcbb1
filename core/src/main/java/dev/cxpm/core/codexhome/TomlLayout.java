package dev.cxpm.core.codexhome;

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
 * Only header-defined tables are edited; tables made by dotted keys or inline tables are left alone.
 */
final class TomlLayout {

    /** One {@code [header]} table: its prefix (blank/comment lines), header line and body. */
    static final class Table {
        String prefix;
        final String header;
        String body;
        final List<String> path;
        final boolean arrayOfTables;
        /** Key prefixes of dotted keys in the body ({@code a.b.c = 1} gives {@code [a, b]}), relative to path. */
        final List<List<String>> dottedKeys;

        Table(String prefix, String header, String body, List<String> path, boolean arrayOfTables, List<List<String>> dottedKeys) {
            this.prefix = prefix;
            this.header = header;
            this.body = body;
            this.path = List.copyOf(path);
            this.arrayOfTables = arrayOfTables;
            this.dottedKeys = dottedKeys;
        }

        String text() {
            return prefix + header + body;
        }
    }

    String root;
    final List<List<String>> rootDottedKeys;
    final List<Table> tables;
    String trailing;

    private TomlLayout(String root, List<List<String>> rootDottedKeys, List<Table> tables, String trailing) {
        this.root = root;
        this.rootDottedKeys = rootDottedKeys;
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
        String header = "[" + String.join(".", path.stream().map(TomlLayout::formatKey).toList()) + "]\n";
        tables.add(after, new Table(first ? "" : "\n", header, body, path, false, List.of()));
    }

    /**
     * The index in {@link #tables} the new table goes to. toml_edit sorts tables by position and a new
     * table takes the position of the nearest positioned table before it in a depth-first walk of the
     * document tree (children in first-seen order), so it lands after that table, stably.
     */
    private int insertionPoint(List<String> path) {
        Node rootNode = new Node(false);
        rootNode.positions.add(0);
        addDotted(rootNode, List.of(), rootDottedKeys);
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            Node n = descend(rootNode, t.path, false);
            n.dotted = false;
            n.positions.add(i + 1);
            addDotted(rootNode, t.path, t.dottedKeys);
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

    private enum Kind { BLANK, COMMENT, HEADER, KEY_VALUE }

    private record Item(Kind kind, String text, List<String> keys, boolean arrayOfTables) {
    }

    static TomlLayout parse(String input) {
        String s = input.replace("\r\n", "\n");
        List<Item> items = new Scanner(s).items();
        // Root body: up to its last key/value; later blank/comment lines go to the next header.
        int i = 0;
        int lastKv = -1;
        while (i < items.size() && items.get(i).kind != Kind.HEADER) {
            if (items.get(i).kind == Kind.KEY_VALUE) {
                lastKv = i;
            }
            i++;
        }
        String root = join(items, 0, lastKv + 1);
        List<List<String>> rootDotted = dottedKeys(items, 0, lastKv + 1);
        int pending = lastKv + 1;
        List<Table> tables = new ArrayList<>();
        while (i < items.size()) {
            Item header = items.get(i);
            int j = i + 1;
            int bodyEnd = j;
            while (j < items.size() && items.get(j).kind != Kind.HEADER) {
                if (items.get(j).kind == Kind.KEY_VALUE) {
                    bodyEnd = j + 1;
                }
                j++;
            }
            tables.add(new Table(join(items, pending, i), withNewline(header.text), join(items, i + 1, bodyEnd),
                    header.keys, header.arrayOfTables, dottedKeys(items, i + 1, bodyEnd)));
            pending = bodyEnd;
            i = j;
        }
        String trailing = join(items, pending, items.size());
        return new TomlLayout(root, rootDotted, tables, trailing);
    }

    private static String join(List<Item> items, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Item it = items.get(k);
            // toml_edit ends every key/value and header it writes with a newline, even the file's last.
            sb.append(it.kind == Kind.KEY_VALUE ? withNewline(it.text) : it.text);
        }
        return sb.toString();
    }

    private static List<List<String>> dottedKeys(List<Item> items, int from, int to) {
        List<List<String>> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Item it = items.get(k);
            if (it.kind == Kind.KEY_VALUE && it.keys.size() > 1) {
                out.add(it.keys.subList(0, it.keys.size() - 1));
            }
        }
        return out;
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    private static boolean hasKeyValues(String rootText) {
        return new Scanner(rootText).items().stream().anyMatch(it -> it.kind == Kind.KEY_VALUE);
    }

    /** A key as toml_edit writes a new one: bare when it can be, else a basic string. */
    static String formatKey(String key) {
        if (!key.isEmpty() && key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            return key;
        }
        return formatString(key);
    }

    /** A string value as toml_edit writes a new one. */
    static String formatString(String value) {
        boolean needsEscape = value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
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

    /**
     * Cuts TOML text into logical lines: blank, comment, header, key/value (a key/value may span lines
     * through multi-line strings and arrays). Lenient: the file was already checked by a real parser.
     */
    private static final class Scanner {
        private final String s;
        private int p;

        Scanner(String s) {
            this.s = s;
        }

        List<Item> items() {
            List<Item> out = new ArrayList<>();
            while (p < s.length()) {
                int start = p;
                skipSpaces();
                if (p >= s.length() || s.charAt(p) == '\n') {
                    endLine();
                    out.add(new Item(Kind.BLANK, s.substring(start, p), List.of(), false));
                } else if (s.charAt(p) == '#') {
                    endLine();
                    out.add(new Item(Kind.COMMENT, s.substring(start, p), List.of(), false));
                } else if (s.charAt(p) == '[') {
                    p++;
                    boolean array = p < s.length() && s.charAt(p) == '[';
                    if (array) {
                        p++;
                    }
                    List<String> keys = keys();
                    endLine();
                    out.add(new Item(Kind.HEADER, s.substring(start, p), keys, array));
                } else {
                    List<String> keys = keys();
                    value();
                    out.add(new Item(Kind.KEY_VALUE, s.substring(start, p), keys, false));
                }
            }
            return out;
        }

        private void skipSpaces() {
            while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
                p++;
            }
        }

        /** To just after the next LF (or the end). */
        private void endLine() {
            int nl = s.indexOf('\n', p);
            p = nl < 0 ? s.length() : nl + 1;
        }

        private List<String> keys() {
            List<String> keys = new ArrayList<>();
            while (p < s.length()) {
                skipSpaces();
                if (p >= s.length()) {
                    break;
                }
                char c = s.charAt(p);
                if (c == '"') {
                    keys.add(basicString());
                } else if (c == '\'') {
                    int end = s.indexOf('\'', p + 1);
                    end = end < 0 ? s.length() : end;
                    keys.add(s.substring(p + 1, end));
                    p = Math.min(s.length(), end + 1);
                } else {
                    int from = p;
                    while (p < s.length() && isBare(s.charAt(p))) {
                        p++;
                    }
                    keys.add(s.substring(from, p));
                }
                skipSpaces();
                if (p < s.length() && s.charAt(p) == '.') {
                    p++;
                } else {
                    break;
                }
            }
            return keys;
        }

        private static boolean isBare(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
        }

        private String basicString() {
            StringBuilder sb = new StringBuilder();
            p++;
            while (p < s.length() && s.charAt(p) != '"' && s.charAt(p) != '\n') {
                char c = s.charAt(p);
                if (c == '\\' && p + 1 < s.length()) {
                    char e = s.charAt(p + 1);
                    p += 2;
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u', 'U' -> {
                            int len = e == 'u' ? 4 : 8;
                            int end = Math.min(s.length(), p + len);
                            try {
                                sb.appendCodePoint(Integer.parseInt(s.substring(p, end), 16));
                            } catch (IllegalArgumentException ex) {
                                sb.append('?');
                            }
                            p = end;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                    p++;
                }
            }
            p = Math.min(s.length(), p + 1);
            return sb.toString();
        }

        /** From after the key to after the value's line end, through multi-line strings and arrays. */
        private void value() {
            int depth = 0;
            while (p < s.length()) {
                char c = s.charAt(p);
                if (c == '\n') {
                    p++;
                    if (depth <= 0) {
                        return;
                    }
                } else if (c == '#') {
                    int nl = s.indexOf('\n', p);
                    p = nl < 0 ? s.length() : nl;
                } else if (s.startsWith("\"\"\"", p) || s.startsWith("'''", p)) {
                    String q = s.substring(p, p + 3);
                    int end = q.equals("\"\"\"") ? closingMultiBasic(p + 3) : s.indexOf(q, p + 3);
                    p = end < 0 ? s.length() : end + 3;
                    while (p < s.length() && s.charAt(p) == q.charAt(0)) {
                        p++; // up to two quotes may end the content
                    }
                } else if (c == '"') {
                    p++;
                    while (p < s.length() && s.charAt(p) != '"' && s.charAt(p) != '\n') {
                        p += s.charAt(p) == '\\' ? 2 : 1;
                    }
                    if (p < s.length() && s.charAt(p) == '"') {
                        p++;
                    }
                } else if (c == '\'') {
                    int end = s.indexOf('\'', p + 1);
                    int nl = s.indexOf('\n', p + 1);
                    p = end < 0 || (nl >= 0 && nl < end) ? (nl < 0 ? s.length() : nl) : end + 1;
                } else {
                    if (c == '[' || c == '{') {
                        depth++;
                    } else if (c == ']' || c == '}') {
                        depth--;
                    }
                    p++;
                }
            }
        }

        private int closingMultiBasic(int from) {
            int k = from;
            while (k < s.length()) {
                char c = s.charAt(k);
                if (c == '\\') {
                    k += 2;
                } else if (s.startsWith("\"\"\"", k)) {
                    return k;
                } else {
                    k++;
                }
            }
            return -1;
        }
    }

    @Override
    public String toString() {
        return Objects.toString(text());
    }
}
