package dev.cxpm.core.toml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

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

    private TomlTree() {
    }

    /** The tree of text, an empty object for an empty text; a syntax error is Jackson's exception. */
    public static ObjectNode read(String text) throws JsonProcessingException {
        ObjectNode simple = new Reader(text).document();
        if (simple != null) {
            return simple;
        }
        refuseTooManyNodes(text);
        JsonNode root = Jackson.MAPPER.readTree(text);
        CodexRefusals.check(text);
        return root instanceof ObjectNode o ? o : NODES.objectNode();
    }

    /**
     * The most keys, values and tables cxpm reads from one TOML file, to bound the memory of its tree: a table costs
     * ~250 bytes of heap, written in as few as three characters, so a 16 MiB cxpm.lock of 650,000 tiny tables ran the warm
     * daemon's 256 MB out (exit 70; session 16, wt-attack4). A cxpm.lock takes ~16 a plugin: ~15,000 plugins.
     */
    static final int MAX_NODES = 250_000;
    /** The words a refusal of {@link #MAX_NODES} starts with; {@code SyntaxError} tells them as they are. */
    public static final String TOO_MANY = "cxpm reads at most ";

    /**
     * Before Jackson reads text (which this reader gave up on): refuses it, naming the line, when it holds more than
     * {@link #MAX_NODES} of the characters that bring a key, value or table into its tree: {@code =}, {@code [},
     * {@code {}, {@code ,} and {@code .} (each dotted part a table). Every node but the root needs one, so the tree is at
     * most that big; the count is over (those in strings and comments count too), never under.
     */
    private static void refuseTooManyNodes(String s) throws JsonParseException {
        if (s.length() <= MAX_NODES) {
            return;
        }
        int count = 0;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            } else if ((c == '=' || c == '[' || c == '{' || c == ',' || c == '.') && ++count > MAX_NODES) {
                throw new JsonParseException(null, TOO_MANY + String.format("%,d", MAX_NODES) + " keys, values and tables from"
                        + " one TOML file, to bound its memory, and this one holds more (counted by the `=`, `[`, `{`, `,` and `.`"
                        + " that bring them in, up to here)", new JsonLocation(null, -1, line, i - lineStart + 1));
            }
        }
    }

    /** What this reader makes of text, or null where it leaves the text to Jackson (for tests). */
    static ObjectNode readSimple(String text) {
        return new Reader(text).document();
    }

    /**
     * Made on first use only: its set-up is the cost this class avoids. Keys as long as the file, as Codex's toml crate
     * takes them (Jackson's default bound of 50,000 characters refused a config.toml Codex reads).
     */
    private static final class Jackson {
        static final TomlMapper MAPPER = TomlMapper.builder(com.fasterxml.jackson.dataformat.toml.TomlFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNameLength(TomlSource.MAX_BYTES).build())
                .build()).build();
    }

    /** How a table came to be, which decides what may still add to it (TOML 1.0's rules, kept to the plain cases). */
    private enum Made { BY_HEADER, ON_THE_WAY_TO_A_HEADER }

    /**
     * A table a header made, or made on its way: an ObjectNode (equal to Jackson's, which compares contents) that says how
     * it came to be, where a map from each table to that cost a config.toml of 1,000 plugins ~1.5 ms of a fresh JVM.
     * Tables dotted keys and inline tables make are plain ObjectNodes.
     */
    private static final class Table extends ObjectNode {
        private static final long serialVersionUID = 1L;
        private transient Made made;

        Table(Made made) {
            super(NODES);
            this.made = made;
        }
    }

    /** The tables and arrays of tables of a document; {@link TomlCursor} reads the keys and values in them. */
    private static final class Reader {
        private final TomlCursor in;
        /** The tables dotted keys made under the current header: only those may take more dotted keys. */
        private final Set<ObjectNode> dotted = Collections.newSetFromMap(new IdentityHashMap<>());
        /** The arrays {@code [[...]]} headers made: only those take more tables (not {@code a = [...]}). */
        private final Set<ArrayNode> arraysOfTables = Collections.newSetFromMap(new IdentityHashMap<>());

        Reader(String s) {
            this.in = new TomlCursor(s);
        }

        ObjectNode document() {
            try {
                ObjectNode root = NODES.objectNode();
                ObjectNode table = root;
                while (true) {
                    in.blank();
                    if (in.atEnd()) {
                        return root;
                    }
                    if (in.peek() == '[') {
                        table = header(root);
                    } else {
                        in.keyValue(table, dotted, 0);
                    }
                    in.endOfLine();
                }
            } catch (TomlCursor.GiveUp | IndexOutOfBoundsException e) {
                return null;
            }
        }

        /**
         * {@code [a.b]}: a table neither defined before nor made by dotted keys; {@code [[a.b]]}: one more table in the
         * array of tables a.b (cxpm.lock's {@code [[plugin]]}), which only such headers may have made. A header that
         * would pass through an array of tables (into its last table) is Jackson's.
         */
        private ObjectNode header(ObjectNode root) {
            in.expect('[');
            boolean array = in.skip('[');
            if (!dotted.isEmpty()) {
                dotted.clear(); // an IdentityHashMap's clear fills its whole table: per header of a config.toml of 1,000 plugins, ~1 ms
            }
            ObjectNode table = root;
            for (int parts = 1; ; parts++) {
                if (parts > TomlCursor.MAX_DEPTH) {
                    throw TomlCursor.GiveUp.INSTANCE;
                }
                in.spaces();
                String key = in.key();
                in.spaces();
                boolean last = in.peek() == ']';
                JsonNode child = table.get(key);
                if (array && last) {
                    ArrayNode tables;
                    if (child == null) {
                        in.made();
                        tables = table.putArray(key);
                        arraysOfTables.add(tables);
                    } else if (child instanceof ArrayNode a && arraysOfTables.contains(a)) {
                        tables = a;
                    } else {
                        throw TomlCursor.GiveUp.INSTANCE;
                    }
                    in.expect(']');
                    in.expect(']');
                    in.made();
                    ObjectNode t = new Table(Made.BY_HEADER);
                    tables.add(t);
                    return t;
                }
                if (child == null) {
                    in.made();
                    Table t = new Table(last ? Made.BY_HEADER : Made.ON_THE_WAY_TO_A_HEADER);
                    table.set(key, t);
                    table = t;
                } else if (child instanceof Table t && t.made == Made.ON_THE_WAY_TO_A_HEADER) {
                    if (last) {
                        t.made = Made.BY_HEADER;
                    }
                    table = t;
                } else if (child instanceof Table t && t.made == Made.BY_HEADER && !last) {
                    table = t;
                } else {
                    throw TomlCursor.GiveUp.INSTANCE;
                }
                if (last) {
                    in.expect(']');
                    return table;
                }
                in.expect('.');
            }
        }
    }
}
