package dev.cxpm.core.toml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;

/**
 * What the real Codex CLI's TOML reader refuses in text Jackson's TOML module reads, so that cxpm refuses the same
 * config.toml (and holds its own TOML files to the same reader) rather than edit a file Codex will not load. Measured
 * with Codex 0.171.0 ({@code codex plugin list} against a CODEX_HOME holding the text; docs/SECURITY.md, "TOML that Codex
 * refuses"):
 * <ul>
 * <li>a key of more than {@value #MAX_KEY_PARTS} parts: a {@code [header]} or {@code [[header]]}, or a dotted key at the
 * top, in a table or in an inline table, each counted alone (a header of 80 parts above a dotted key of 80 is read);
 * <li>a value nesting arrays and inline tables more than {@value #MAX_NESTING} deep, each {@code [} and {@code {} one
 * level (a dotted key inside does not add to it);
 * <li>an escape of a surrogate ({@code \ud800} to {@code \udfff}, or as {@code \U0000D800}) in a basic string: TOML takes
 * only Unicode scalar values there (a pair written as two escapes is two surrogates).
 * </ul>
 * {@link TomlTree}'s own reader gives up past {@link TomlCursor#MAX_DEPTH} parts or levels and takes no surrogate escape,
 * so only text Jackson read is scanned, in one pass: lenient, as Jackson has already found it valid TOML.
 */
final class CodexRefusals {
    /** Codex refuses a key of 81 parts ("recursion limit", told at 1:1 whatever the line). */
    static final int MAX_KEY_PARTS = 80;
    /** Codex refuses a value 81 arrays or inline tables deep ("cannot recurse further; max recursion depth met"). */
    static final int MAX_NESTING = 80;
    /** The words every refusal of a limit starts with; {@code SyntaxError} shows them without "not valid TOML". */
    static final String CODEX_REFUSES = "Codex refuses ";

    private final String s;
    private int i;
    private int line = 1;
    private int lineStart;

    private CodexRefusals(String s) {
        this.s = s;
    }

    /** Throws, naming the line and column, at the first thing in text Codex refuses; text is TOML Jackson read. */
    static void check(String text) throws JsonParseException {
        new CodexRefusals(text).document();
    }

    private void document() throws JsonParseException {
        while (true) {
            blank();
            if (i >= s.length()) {
                return;
            }
            if (s.charAt(i) == '[') {
                i++;
                if (i < s.length() && s.charAt(i) == '[') {
                    i++;
                }
                key();
            } else {
                key();
                if (i < s.length() && s.charAt(i) == '=') {
                    i++;
                }
                spaces();
                value(0);
            }
            toLineEnd();
        }
    }

    /** Spaces, tabs, line ends and comments. */
    private void blank() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                newline(i);
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '#') {
                toLineEnd();
            } else {
                return;
            }
        }
    }

    private void spaces() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    /** To the next LF, not taken (what is left of a header's line or a value's: a {@code ]}, spaces, a comment). */
    private void toLineEnd() {
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length() : nl;
    }

    private void newline(int at) {
        line++;
        lineStart = at + 1;
    }

    /** A dotted key, its parts counted, up to what follows it ({@code =} or {@code ]}). */
    private void key() throws JsonParseException {
        int startLine = line;
        int startColumn = i - lineStart + 1;
        int parts = 0;
        while (i < s.length()) {
            spaces();
            parts++;
            if (parts > MAX_KEY_PARTS) {
                throw new Refusal(CODEX_REFUSES + KEY + ": its TOML reader takes at most " + MAX_KEY_PARTS
                        + " and refuses the whole file; write the key with fewer parts",
                        KEY + ": cxpm reads at most " + MAX_KEY_PARTS + "; write the key with fewer parts", startLine, startColumn);
            }
            char c = i < s.length() ? s.charAt(i) : 0;
            if (c == '"') {
                basicString();
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                i = end < 0 ? s.length() : end + 1;
            } else {
                while (i < s.length() && bare(s.charAt(i))) {
                    i++;
                }
            }
            spaces();
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
            } else {
                return;
            }
        }
    }

    private static boolean bare(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** One value at depth (the arrays and inline tables around it). */
    private void value(int depth) throws JsonParseException {
        if (i >= s.length()) {
            return;
        }
        char c = s.charAt(i);
        if (c == '[' || c == '{') {
            if (depth + 1 > MAX_NESTING) {
                throw new Refusal(CODEX_REFUSES + NESTED + ": its TOML reader takes at most " + MAX_NESTING
                        + " levels and refuses the whole file; write the value less deeply nested",
                        NESTED + ": cxpm reads at most " + MAX_NESTING + " levels; write the value less deeply nested", line, i - lineStart + 1);
            }
            i++;
            if (c == '[') {
                array(depth + 1);
            } else {
                inlineTable(depth + 1);
            }
        } else if (c == '"') {
            basicString();
        } else if (c == '\'') {
            literalString();
        } else {
            // a number, a boolean, a date and time (which may hold a space): up to what ends a value
            while (i < s.length() && ",]}\n#".indexOf(s.charAt(i)) < 0) {
                i++;
            }
        }
    }

    /** After {@code [}: values, commas, line ends and comments, to the {@code ]}. */
    private void array(int depth) throws JsonParseException {
        while (true) {
            blank();
            if (i >= s.length()) {
                return;
            }
            char c = s.charAt(i);
            if (c == ']') {
                i++;
                return;
            }
            int at = i;
            if (c == ',') {
                i++;
            } else {
                value(depth);
            }
            i = Math.max(i, at + 1); // always forward, whatever the text
        }
    }

    /** After {@code {}: keys (their parts counted) and values, to the {@code }}. */
    private void inlineTable(int depth) throws JsonParseException {
        while (true) {
            blank(); // TOML 1.0 has no line end in an inline table; should a reader take one, so does this scan
            if (i >= s.length()) {
                return;
            }
            char c = s.charAt(i);
            if (c == '}') {
                i++;
                return;
            }
            int at = i;
            if (c == ',') {
                i++;
                continue;
            }
            key();
            if (i < s.length() && s.charAt(i) == '=') {
                i++;
            }
            spaces();
            value(depth);
            i = Math.max(i, at + 1); // always forward, whatever the text
        }
    }

    /** {@code "..."} or {@code """..."""}, its escapes checked for surrogates. */
    private void basicString() throws JsonParseException {
        boolean multi = s.startsWith("\"\"\"", i);
        for (i += multi ? 3 : 1; i < s.length(); i++) {
            char d = s.charAt(i);
            if (d == '\n') {
                newline(i);
            } else if (d == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                int digits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
                if (digits > 0 && i + digits < s.length()) {
                    long v = Long.parseLong(s, i + 1, i + 1 + digits, 16);
                    if (v >= 0xD800 && v <= 0xDFFF) {
                        throw new Refusal(SURROGATE + " (TOML takes Unicode scalar values only: Codex refuses the file; write the character itself)",
                                "not valid TOML: " + SURROGATE + " (TOML takes Unicode scalar values only); write the character itself", line, 1);
                    }
                }
                if (e == '\n') {
                    newline(i);
                }
            } else if (d == '"' && (!multi || s.startsWith("\"\"\"", i))) {
                i += multi ? 3 : 1;
                while (multi && i < s.length() && s.charAt(i) == '"') {
                    i++; // up to two quotes end a multi-line string's text
                }
                return;
            }
        }
    }

    /** {@code '...'} or {@code '''...'''}, taken as written. */
    private void literalString() {
        String close = s.startsWith("'''", i) ? "'''" : "'";
        int end = s.indexOf(close, i + close.length());
        end = end < 0 ? s.length() : end;
        for (int k = i; k < end; k++) {
            if (s.charAt(k) == '\n') {
                newline(k);
            }
        }
        i = end + close.length();
        while (close.length() == 3 && i < s.length() && s.charAt(i) == '\'') {
            i++; // up to two quotes end a multi-line string's text
        }
    }

    private static final String KEY = "a key of more than " + MAX_KEY_PARTS + " dotted parts (a [header] or a.b.c key)";
    private static final String NESTED = "arrays and inline tables nested more than " + MAX_NESTING + " deep";
    private static final String SURROGATE = "an escape of a surrogate";

    /**
     * Something here Codex's reader refuses: its message tells it of Codex's own file (config.toml: "Codex refuses ...");
     * {@link #inCxpmWords} of one of cxpm's (cxpm.toml, cxpm.lock, a policy), which Codex never reads.
     */
    static final class Refusal extends JsonParseException {
        private final String inCxpmWords;

        Refusal(String inCodexWords, String inCxpmWords, int line, int column) {
            super(null, inCodexWords, new JsonLocation(null, -1, line, column));
            this.inCxpmWords = inCxpmWords;
        }

        /** What is wrong and the fix, as cxpm refuses one of its own files. */
        String inCxpmWords() {
            return inCxpmWords;
        }
    }
}
