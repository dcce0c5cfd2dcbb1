package dev.cxpm.core.format.json;

import java.util.HashMap;
import java.util.Map;

/**
 * Each value's span in a JSON text by its JSON Pointer, kept as a tree of the pointer's parts (each escaped as
 * {@link JsonFile#pointerKey} escapes it): a value adds only its own key under its parent's node. One map from each
 * whole pointer held a long path of keys again for every value below it (a 110 KB file took 385 MB; 8 MiB, out of
 * memory), and made each pointer, copying that path, as the text was read.
 */
final class Spans {
    private final Node root = new Node(null, "");
    /** How many more characters the pointers of repeated keys below the top may take ({@link #repeated}). */
    private long repeatsLeft;

    /** textLength: the length of the text read, which bounds the pointers {@link #repeated} names. */
    Spans(int textLength) {
        this.repeatsLeft = textLength;
    }

    /** Where a value is in the tree: its parent, its key (escaped) and, once read, its span. */
    static final class Node {
        private final Node parent;
        private final String key;
        private Map<String, Node> children;
        private JsonFile.Span span;

        private Node(Node parent, String key) {
            this.parent = parent;
            this.key = key;
        }

        /** The node of this value's member or element (key escaped as a pointer escapes it), made when first asked. */
        Node child(String key) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(key, k -> new Node(this, k));
        }

        void span(JsonFile.Span span) {
            this.span = span;
        }

        /** The JSON Pointer of this value ({@code ""} for the root). */
        String pointer() {
            int length = 0;
            for (Node n = this; n.parent != null; n = n.parent) {
                length += n.key.length() + 1;
            }
            char[] out = new char[length];
            int at = length;
            for (Node n = this; n.parent != null; n = n.parent) {
                at -= n.key.length();
                n.key.getChars(0, n.key.length(), out, at);
                out[--at] = '/';
            }
            return new String(out);
        }
    }

    Node root() {
        return root;
    }

    /**
     * Adds the pointer of a key given again to out: one at the top always (Codex refuses a manifest field given twice),
     * deeper ones while their pointers stay within the text's length in all (10,000 repeats below a 10 KB path of keys
     * were named whole 10,000 times: 100 MB, where the text was 140 KB).
     */
    void repeated(Node n, java.util.List<String> out) {
        int length = 0;
        for (Node k = n; k.parent != null; k = k.parent) {
            length += k.key.length() + 1;
        }
        if (n.parent == root || length <= repeatsLeft) {
            out.add(n.pointer());
            repeatsLeft -= n.parent == root ? 0 : length;
        }
    }

    /** The span of the value at pointer, or null when there is none. */
    JsonFile.Span get(String pointer) {
        if (pointer.isEmpty()) {
            return root.span;
        }
        if (pointer.charAt(0) != '/') {
            return null;
        }
        Node n = root;
        for (int start = 1; ; ) {
            int end = pointer.indexOf('/', start);
            String key = pointer.substring(start, end < 0 ? pointer.length() : end);
            n = n.children == null ? null : n.children.get(key);
            if (n == null) {
                return null;
            }
            if (end < 0) {
                return n.span;
            }
            start = end + 1;
        }
    }

    /** Every span by its pointer (for tests that compare two readers). */
    Map<String, JsonFile.Span> asMap() {
        Map<String, JsonFile.Span> out = new HashMap<>();
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n.span != null) {
                out.put(n.pointer(), n.span);
            }
            if (n.children != null) {
                todo.addAll(n.children.values());
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spans s && asMap().equals(s.asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
