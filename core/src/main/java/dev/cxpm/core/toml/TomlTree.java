package dev.cxpm.core.toml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * TOML text as the tree Jackson's TOML module reads from it, for every reader of TOML in cxpm (config.toml, policies,
 * lockfiles). A command on a fresh JVM spent ~75 ms just setting up that module (an ObjectMapper, its date format's
 * locale data, the lexer's tables), more than the rest of a {@code cxpm list}. So the common shapes are read here by
 * hand first: tables, arrays of tables, dotted and quoted keys, one-line strings, booleans, small integers, arrays and
 * inline tables. Anything else (dates, floats, multi-line strings, a table defined twice, a syntax error, ...)
 * makes this reader give up and Jackson read the whole text, so what cxpm accepts, the tree it gets and every error
 * message stay Jackson's own. {@code TomlTreeTest} holds the two readers to the same tree on every text this one
 * accepts.
 */
public final class TomlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;

    private TomlTree() {
    }

    /** The tree of text, an empty object for an empty text; a syntax error is Jackson's exception. */
    public static ObjectNode read(String text) throws JsonProcessingException {
        ObjectNode simple = new Reader(text).document();
        if (simple != null) {
            return simple;
        }
        JsonNode root = Jackson.MAPPER.readTree(text);
        return root instanceof ObjectNode o ? o : NODES.objectNode();
    }

    /** What this reader makes of text, or null where it leaves the text to Jackson (for tests). */
    static ObjectNode readSimple(String text) {
        return new Reader(text).document();
    }

    /** Made on first use only: its set-up is the cost this class avoids. */
    private static final class Jackson {
        static final TomlMapper MAPPER = new TomlMapper();
    }

    /** This reader does not know the text's shape: Jackson reads it. Thrown without a stack trace. */
    private static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    /** How a table came to be, which decides what may still add to it (TOML 1.0's rules, kept to the plain cases). */
    private enum Made { BY_HEADER, ON_THE_WAY_TO_A_HEADER, BY_DOTTED_KEYS }

    private static final class Reader {
        private final String s;
        private int i;
        private final Map<ObjectNode, Made> made = new IdentityHashMap<>();
        /** The tables dotted keys made under the current header: only those may take more dotted keys. */
        private final Map<ObjectNode, Integer> dottedIn = new IdentityHashMap<>();
        /** The arrays {@code [[...]]} headers made: only those take more tables (not {@code a = [...]}). */
        private final Map<ArrayNode, Boolean> arraysOfTables = new IdentityHashMap<>();
        private int section;

        Reader(String s) {
            this.s = s;
        }

        ObjectNode document() {
            try {
                ObjectNode root = NODES.objectNode();
                ObjectNode table = root;
                while (true) {
                    blank();
                    if (i >= s.length()) {
                        return root;
                    }
                    if (s.charAt(i) == '[') {
                        table = header(root);
                    } else {
                        keyValue(table);
                    }
                    endOfLine();
                }
            } catch (GiveUp | IndexOutOfBoundsException e) {
                return null;
            }
        }

        /** Skips spaces, tabs, comments and line ends between lines. */
        private void blank() {
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

        private void spaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        /** After a header or a key's value: spaces, maybe a comment, then the end of the line or of the text. */
        private void endOfLine() {
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
         * {@code [a.b]}: a table neither defined before nor made by dotted keys; {@code [[a.b]]}: one more table in the
         * array of tables a.b (cxpm.lock's {@code [[plugin]]}), which only such headers may have made. A header that
         * would pass through an array of tables (into its last table) is Jackson's.
         */
        private ObjectNode header(ObjectNode root) {
            i++;
            boolean array = i < s.length() && s.charAt(i) == '[';
            if (array) {
                i++;
            }
            section++;
            dottedIn.clear();
            ObjectNode table = root;
            while (true) {
                spaces();
                String key = key();
                spaces();
                boolean last = s.charAt(i) == ']';
                JsonNode child = table.get(key);
                if (array && last) {
                    ArrayNode tables;
                    if (child == null) {
                        tables = table.putArray(key);
                        arraysOfTables.put(tables, Boolean.TRUE);
                    } else if (child instanceof ArrayNode a && arraysOfTables.containsKey(a)) {
                        tables = a;
                    } else {
                        throw GiveUp.INSTANCE;
                    }
                    i++;
                    expect(']');
                    ObjectNode t = tables.addObject();
                    made.put(t, Made.BY_HEADER);
                    return t;
                }
                if (child == null) {
                    ObjectNode t = table.putObject(key);
                    made.put(t, last ? Made.BY_HEADER : Made.ON_THE_WAY_TO_A_HEADER);
                    table = t;
                } else if (child instanceof ObjectNode t && made.get(t) == Made.ON_THE_WAY_TO_A_HEADER) {
                    if (last) {
                        made.put(t, Made.BY_HEADER);
                    }
                    table = t;
                } else if (child instanceof ObjectNode t && made.get(t) == Made.BY_HEADER && !last) {
                    table = t;
                } else {
                    throw GiveUp.INSTANCE;
                }
                if (last) {
                    i++;
                    return table;
                }
                expect('.');
            }
        }

        /** {@code a.b = value} in table: new keys only, through tables this header's dotted keys made. */
        private void keyValue(ObjectNode table) {
            ObjectNode t = table;
            while (true) {
                spaces();
                String key = key();
                spaces();
                char c = s.charAt(i);
                if (c == '=') {
                    i++;
                    spaces();
                    if (t.has(key)) {
                        throw GiveUp.INSTANCE;
                    }
                    t.set(key, value(0));
                    return;
                }
                expect('.');
                JsonNode child = t.get(key);
                if (child == null) {
                    ObjectNode d = t.putObject(key);
                    made.put(d, Made.BY_DOTTED_KEYS);
                    dottedIn.put(d, section);
                    t = d;
                } else if (child instanceof ObjectNode d && dottedIn.containsKey(d)) {
                    t = d;
                } else {
                    throw GiveUp.INSTANCE;
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw GiveUp.INSTANCE;
            }
            i++;
        }

        private String key() {
            char c = s.charAt(i);
            if (c == '"') {
                return basicString();
            }
            if (c == '\'') {
                return literalString();
            }
            int start = i;
            while (i < s.length() && bare(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw GiveUp.INSTANCE;
            }
            return s.substring(start, i);
        }

        private static boolean bare(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }

        private JsonNode value(int depth) {
            if (depth > MAX_DEPTH) {
                throw GiveUp.INSTANCE;
            }
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
            Map<ObjectNode, Boolean> dotted = new IdentityHashMap<>();
            while (true) {
                spaces();
                ObjectNode t = o;
                while (true) {
                    String key = key();
                    spaces();
                    if (s.charAt(i) == '=') {
                        i++;
                        spaces();
                        if (t.has(key)) {
                            throw GiveUp.INSTANCE;
                        }
                        t.set(key, value(depth + 1));
                        break;
                    }
                    expect('.');
                    spaces();
                    JsonNode child = t.get(key);
                    if (child == null) {
                        t = t.putObject(key);
                        dotted.put(t, Boolean.TRUE);
                    } else if (child instanceof ObjectNode d && dotted.containsKey(d)) {
                        t = d;
                    } else {
                        throw GiveUp.INSTANCE;
                    }
                }
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

        /** A Unicode scalar value in n hex digits; a surrogate or beyond U+10FFFF is Jackson's to refuse or mangle. */
        private int hex(int n) {
            int v = 0;
            for (int k = 0; k < n; k++) {
                int d = Character.digit(s.charAt(i++), 16);
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
}
