package dev.cxpm.core.toml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.SyntaxError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOML file parsed once, remembering on which line each key was written, so that every problem
 * found later in its values can name the file and line. {@link TomlTree} does the parsing (Jackson's TOML module,
 * which knows all of TOML 1.0 and reports syntax errors with line and column, for all but the plain shapes); it forgets locations, so a
 * light scan of the text, made when a line is first asked for, maps key paths ({@code plugins/github/version}, {@code plugin/0/name}) to
 * lines. Keys inside an inline table map to the line of the table, which is where a user looks.
 */
public final class TomlSource {

    private final Path path;
    private final String text;
    private final JsonNode root;
    /**
     * Key paths to lines, made when a message first needs a line: only a problem is told with one, and on a fresh JVM
     * the scan of a lockfile of 50 plugins cost a cold {@code sync --frozen} ~8 ms of interpreted CPU for nothing.
     */
    private Lines lines;

    private TomlSource(Path path, String text, JsonNode root) {
        this.path = path;
        this.text = text;
        this.root = root;
    }

    /**
     * No TOML file cxpm reads (cxpm.toml, cxpm.lock, a policy, Codex's config.toml) is larger: a lockfile holds some 300
     * bytes a plugin, so this is about 50,000; a larger file is junk (a link to a device, a file that never ends).
     */
    public static final int MAX_BYTES = 16 << 20;

    /** Reads and parses the file; a missing file is NOT_FOUND, bad TOML is INVALID_INPUT with line and column. */
    public static TomlSource read(Path file, String fixHint) {
        return parse(file, readText(file, fixHint), fixHint);
    }

    /** The file's text, as {@link #read} reads it (and refuses it: too large, not UTF-8, missing), not parsed. */
    public static String readText(Path file, String fixHint) {
        try {
            return FileText.read(file, MAX_BYTES);
        } catch (FileText.NotRegularFile | FileText.TooLarge e) {
            throw notRead(file, e, fixHint);
        } catch (CharacterCodingException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " is not UTF-8 text", fixHint);
        } catch (NoSuchFileException e) {
            throw new UserError(UserError.Kind.NOT_FOUND, file + " does not exist", fixHint);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** The refusal of a TOML file that {@link FileText} would not read (not a regular file, or larger than MAX_BYTES). */
    public static UserError notRead(Path file, IOException e, String fixHint) {
        return new UserError(UserError.Kind.INVALID_INPUT, e instanceof FileText.TooLarge
                ? file + " is larger than the " + MAX_BYTES / (1 << 20) + " MiB cxpm reads" : e.getMessage(), fixHint);
    }

    public static TomlSource parse(Path file, String text, String fixHint) {
        JsonNode root;
        try {
            root = TomlTree.read(text);
        } catch (JsonProcessingException | RuntimeException e) {
            // The TOML lexer signals a few malformed inputs (e.g. a truncated escape) with unchecked exceptions.
            SyntaxError words = SyntaxError.toml(file.toString(), text, e, fixHint);
            if (e instanceof CodexRefusals.Refusal r) { // cxpm's own file (Codex's config.toml is CodexConfig's): cxpm's words
                words = new SyntaxError(words.source(), words.line(), words.column(), r.inCxpmWords(), fixHint);
            }
            throw new UserError(UserError.Kind.INVALID_INPUT, words.message(), fixHint, e);
        }
        return new TomlSource(file, text, root);
    }

    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    public JsonNode root() {
        return root;
    }

    /**
     * The line where the value at this key path was written, or where its nearest enclosing table
     * or inline table was; 0 when unknown. Array-of-tables elements are addressed by index.
     */
    public int lineOf(String... keyPath) {
        Lines at = lines();
        int line = 0;
        for (String part : keyPath) {
            at = at.parts == null ? null : at.parts.get(part);
            if (at == null) {
                break;
            }
            line = at.line > 0 ? at.line : line;
        }
        return line;
    }

    /** "file:line" or just the file when the line is unknown. */
    public String where(String... keyPath) {
        int line = lineOf(keyPath);
        return line > 0 ? path + ":" + line : path.toString();
    }

    // --- line index ----------------------------------------------------------------------------

    private synchronized Lines lines() {
        if (lines == null) {
            lines = indexLines(text);
        }
        return lines;
    }

    /**
     * The lines of key paths as a tree of their parts: each line of the text adds its own key's parts under its table's
     * node. (One map from each whole path, joined, held a header's path again for every key below it: a 32 KB header
     * above 20,000 keys took 650 MB, a 16 MiB cxpm.toml of that shape ran out of memory.)
     */
    private static final class Lines {
        private Map<String, Lines> parts;
        /** Where this path was written (0: not written, only a part of longer paths). */
        private int line;
        /** How many tables {@code [[this path]]} headers made so far. */
        private int tables;

        Lines at(List<String> path) {
            Lines n = this;
            for (String part : path) {
                if (n.parts == null) {
                    n.parts = new HashMap<>();
                }
                n = n.parts.computeIfAbsent(part, k -> new Lines());
            }
            return n;
        }
    }

    private static Lines indexLines(String text) {
        Lines lines = new Lines();
        Lines table = lines;
        String[] all = text.split("\n", -1);
        int skipDepth = 0;
        boolean inMultiline = false;
        for (int i = 0; i < all.length; i++) {
            String line = all[i].strip();
            int lineNr = i + 1;
            if (inMultiline) {
                if (line.contains("\"\"\"") || line.contains("'''")) {
                    inMultiline = false;
                }
                continue;
            }
            if (skipDepth > 0) {
                skipDepth += bracketBalance(line);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[[")) {
                Lines array = lines.at(keyParts(line.substring(2, closing(line, 2))));
                array.line = array.line > 0 ? array.line : lineNr;
                table = array.at(List.of(Integer.toString(array.tables++)));
                table.line = lineNr;
                continue;
            }
            if (line.startsWith("[")) {
                table = lines.at(keyParts(line.substring(1, closing(line, 1))));
                table.line = table.line > 0 ? table.line : lineNr;
                continue;
            }
            int eq = equalsOutsideQuotes(line);
            if (eq < 0) {
                continue;
            }
            table.at(keyParts(line.substring(0, eq))).line = lineNr;
            String value = line.substring(eq + 1).strip();
            if ((value.startsWith("\"\"\"") && value.indexOf("\"\"\"", 3) < 0)
                    || (value.startsWith("'''") && value.indexOf("'''", 3) < 0)) {
                inMultiline = true;
            } else if (value.startsWith("[") || value.startsWith("{")) {
                skipDepth = bracketBalance(value);
            }
        }
        return lines;
    }

    private static int closing(String line, int from) {
        int end = line.indexOf(']', from);
        return end < 0 ? line.length() : end;
    }

    private static int equalsOutsideQuotes(String line) {
        return firstOutsideStrings(line, c -> c == '=');
    }

    /** Net count of opening minus closing brackets/braces outside strings and comments. */
    private static int bracketBalance(String s) {
        int[] depth = {0};
        firstOutsideStrings(s, c -> {
            if (c == '[' || c == '{') {
                depth[0]++;
            } else if (c == ']' || c == '}') {
                depth[0]--;
            }
            return c == '#';
        });
        return depth[0];
    }

    /**
     * The index of the first character outside TOML strings ({@code "..."} with escapes, {@code '...'} literal)
     * for which stop is true, or -1: the one quote scanner both line scans use.
     */
    private static int firstOutsideStrings(String s, java.util.function.IntPredicate stop) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (stop.test(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Splits a dotted key ({@code a."b.c".d}) into its parts, unquoting quoted parts. */
    public static List<String> keyPartsOf(String key) {
        return keyParts(key);
    }

    static List<String> keyParts(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < key.length()) {
                    cur.append(key.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '.') {
                parts.add(cur.toString().strip());
                cur.setLength(0);
            } else if (!Character.isWhitespace(c)) {
                cur.append(c);
            }
        }
        parts.add(cur.toString().strip());
        return parts;
    }
}
