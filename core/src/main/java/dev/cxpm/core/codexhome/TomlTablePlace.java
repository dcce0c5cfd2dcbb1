package dev.cxpm.core.codexhome;

import dev.cxpm.core.codexhome.TomlLayout.Table;
import dev.cxpm.core.codexhome.TomlLines.Item;
import dev.cxpm.core.codexhome.TomlLines.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where in a {@link TomlLayout} toml_edit writes a new table: the document's tree of tables walked depth-first. */
final class TomlTablePlace {

    private TomlTablePlace() {
    }

    /**
     * The index in {@link TomlLayout#tables} the new table goes to. toml_edit sorts tables by position and a new
     * table takes the position of the nearest positioned table before it in a depth-first walk of the
     * document tree (children in first-seen order), so it lands after that table, stably.
     */
    static int of(TomlLayout layout, List<String> path) {
        Node rootNode = new Node(false);
        rootNode.positions.add(0);
        addDotted(rootNode, List.of(), dottedKeys(layout.root));
        for (int i = 0; i < layout.tables.size(); i++) {
            Table t = layout.tables.get(i);
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
}
