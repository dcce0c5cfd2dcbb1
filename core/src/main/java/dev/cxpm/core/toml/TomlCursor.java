package dev.cxpm.core.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A position in TOML text that {@link TomlTree}'s own reader moves forward: the text between lines, keys, and values
 * (strings, booleans, small integers, arrays, inline tables). Where the text takes a shape this does not know, it
 * throws {@link GiveUp} and TomlTree leaves the whole text to Jackson; reading past the end throws
 * IndexOutOfBoundsException, which TomlTree takes the same way.
 */
final class TomlCursor {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * Deeper values, and keys or headers of more parts, are Jackson's (which refuses past 1,000 levels; {@link CodexRefusals}
     * then refuses past Codex's 80): a dotted key of 50,000 parts made a tree so deep that comparing it overflowed the stack
     * ({@code marketplace add}, exit 70). At most Codex's limits, so that text this reader takes needs no scan for them.
     */
    static final int MAX_DEPTH = 32;
    /** A longer key is Jackson's (which refuses past 50,000 characters); a path in config.toml's [projects] is 4,096 at most. */
    private static final int MAX_KEY = 4096;

    private final String s;
    private int i;
    /** The keys, values and tables read so far; past {@link TomlTree#MAX_NODES} the text is Jackson's, whose read is refused. */
    private int nodes;

    TomlCursor(String s) {
        this.s = s;
    }

    /** This reader does not know the text's shape: Jackson reads it. Thrown without a stack trace. */
    static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    boolean atEnd() {
        return i >= s.length();
    }

    /** The next character, not taken; past the end an IndexOutOfBoundsException. */
    char peek() {
        return s.charAt(i);
    }

    /** Counts one more key, value or table made; past {@link TomlTree#MAX_NODES}, gives up. */
    void made() {
        if (++nodes > TomlTree.MAX_NODES) {
            throw GiveUp.INSTANCE;
        }
    }

    /** Takes the next character if it is c. */
    boolean skip(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    /** Skips spaces, tabs, comments and line ends between lines. */
    void blank() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                i++;
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i += 2;
            } else if (c == '#') {
                comment();
            } else {
                return;
            }
        }
    }

    private void comment() {
        i++;
        while (i < s.length() && s.charAt(i) != '\n') {
            char c = s.charAt(i);
            if (c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw GiveUp.INSTANCE; // a CR ends the line only before LF; control characters are refused
            }
            i++;
        }
    }

    void spaces() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    /** After a header or a key's value: spaces, maybe a comment, then the end of the line or of the text. */
    void endOfLine() {
        spaces();
        if (i < s.length() && s.charAt(i) == '#') {
            comment();
        }
        if (i >= s.length() || s.charAt(i) == '\n' || s.startsWith("\r\n", i)) {
            return;
        }
        throw GiveUp.INSTANCE;
    }

    /**
     * {@code a.b = value} into table: a new key only, through tables made by dotted keys of the same header or inline
     * table (those in dotted, which this adds to); value at depth.
     */
    void keyValue(ObjectNode table, Set<ObjectNode> dotted, int depth) {
        ObjectNode t = table;
        for (int parts = depth + 1; ; parts++) {
            if (parts > MAX_DEPTH) {
                throw GiveUp.INSTANCE;
            }
            spaces();
            String key = key();
            spaces();
            if (s.charAt(i) == '=') {
                i++;
                spaces();
                if (t.has(key)) {
                    throw GiveUp.INSTANCE;
                }
                t.set(key, value(depth));
                return;
            }
            expect('.');
            JsonNode child = t.get(key);
            if (child == null) {
                made();
                ObjectNode d = t.putObject(key);
                dotted.add(d);
                t = d;
            } else if (child instanceof ObjectNode d && dotted.contains(d)) {
                t = d;
            } else {
                throw GiveUp.INSTANCE;
            }
        }
    }

    void expect(char c) {
        if (s.charAt(i) != c) {
            throw GiveUp.INSTANCE;
        }
        i++;
    }

    String key() {
        int start = i;
        char c = s.charAt(i);
        String key;
        if (c == '"') {
            key = basicString();
        } else if (c == '\'') {
            key = literalString();
        } else {
            while (i < s.length() && bare(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw GiveUp.INSTANCE;
            }
            key = s.substring(start, i);
        }
        if (i - start > MAX_KEY) {
            throw GiveUp.INSTANCE;
        }
        return key;
    }

    private static boolean bare(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private JsonNode value(int depth) {
        if (depth > MAX_DEPTH) {
            throw GiveUp.INSTANCE;
        }
        made();
        char c = s.charAt(i);
        switch (c) {
            case '"' -> {
                return NODES.textNode(basicString());
            }
            case '\'' -> {
                return NODES.textNode(literalString());
            }
            case '[' -> {
                return array(depth);
            }
            case '{' -> {
                return inlineTable(depth);
            }
            case 't' -> {
                word("true");
                return NODES.booleanNode(true);
            }
            case 'f' -> {
                word("false");
                return NODES.booleanNode(false);
            }
            default -> {
                return integer();
            }
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, i)) {
            throw GiveUp.INSTANCE;
        }
        i += w.length();
        delimited();
    }

    /** What may follow a value: anything but more of a word (1979-05-27, 1.5, 1_000, truex are Jackson's). */
    private void delimited() {
        if (i < s.length()) {
            char c = s.charAt(i);
            if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == '#')) {
                throw GiveUp.INSTANCE;
            }
        }
    }

    /** A decimal integer of up to 9 digits (an IntNode, as Jackson makes it); larger ones, hex, octal are Jackson's. */
    private JsonNode integer() {
        int start = i;
        if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            i++;
        }
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int n = i - digits;
        if (n == 0 || n > 9 || (n > 1 && s.charAt(digits) == '0')) {
            throw GiveUp.INSTANCE;
        }
        delimited();
        return NODES.numberNode(Integer.parseInt(s, start, i, 10));
    }

    private ArrayNode array(int depth) {
        i++;
        ArrayNode a = NODES.arrayNode();
        while (true) {
            blank();
            if (s.charAt(i) == ']') {
                i++;
                return a;
            }
            a.add(value(depth + 1));
            blank();
            if (s.charAt(i) == ',') {
                i++;
            } else if (s.charAt(i) == ']') {
                i++;
                return a;
            } else {
                throw GiveUp.INSTANCE;
            }
        }
    }

    /** {@code { a = 1, b.c = "x" }} on one line, no trailing comma: closed once written. */
    private ObjectNode inlineTable(int depth) {
        i++;
        ObjectNode o = NODES.objectNode();
        spaces();
        if (s.charAt(i) == '}') {
            i++;
            return o;
        }
        Set<ObjectNode> dotted = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            keyValue(o, dotted, depth + 1);
            spaces();
            char c = s.charAt(i++);
            if (c == '}') {
                return o;
            }
            if (c != ',') {
                throw GiveUp.INSTANCE;
            }
        }
    }

    /** {@code "..."} on one line with TOML's escapes; a multi-line {@code """} string is Jackson's. */
    private String basicString() {
        i++;
        if (s.startsWith("\"\"", i)) {
            throw GiveUp.INSTANCE; // """ or "" followed by more: Jackson tells which
        }
        StringBuilder b = null;
        int run = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                String out = b == null ? s.substring(run, i) : b.append(s, run, i).toString();
                i++;
                return out;
            }
            if (c == '\\') {
                if (b == null) {
                    b = new StringBuilder();
                }
                b.append(s, run, i);
                i++;
                char e = s.charAt(i++);
                switch (e) {
                    case 'b' -> b.append('\b');
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'f' -> b.append('\f');
                    case 'r' -> b.append('\r');
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case 'u' -> b.appendCodePoint(hex(4));
                    case 'U' -> b.appendCodePoint(hex(8));
                    default -> throw GiveUp.INSTANCE;
                }
                run = i;
                continue;
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw GiveUp.INSTANCE;
            }
            i++;
        }
    }

    /**
     * A Unicode scalar value in n ASCII hex digits (Character.digit alone also takes Arabic-Indic and full-width ones,
     * which Jackson and Codex refuse); a surrogate or beyond U+10FFFF is Jackson's to refuse or mangle.
     */
    private int hex(int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            char c = s.charAt(i++);
            int d = c < 0x80 ? Character.digit(c, 16) : -1;
            if (d < 0) {
                throw GiveUp.INSTANCE;
            }
            v = v * 16 + d;
            if (v > 0x10FFFF) {
                throw GiveUp.INSTANCE;
            }
        }
        if (v >= 0xD800 && v <= 0xDFFF) {
            throw GiveUp.INSTANCE;
        }
        return v;
    }

    /** {@code '...'} on one line, taken as written; a multi-line {@code '''} string is Jackson's. */
    private String literalString() {
        i++;
        if (s.startsWith("''", i)) {
            throw GiveUp.INSTANCE;
        }
        int start = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '\'') {
                return s.substring(start, i++);
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw GiveUp.INSTANCE;
            }
            i++;
        }
    }
}
