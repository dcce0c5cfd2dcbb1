package dev.cxpm.core.codexhome;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts TOML text into logical lines: blank, comment, header, key/value (a key/value may span lines
 * through multi-line strings and arrays). Lenient: the file was already checked by a real parser.
 */
final class TomlLines {

    enum Kind { BLANK, COMMENT, HEADER, KEY_VALUE }

    /**
     * One logical line. For a key/value, keys are its (dotted) key and value its text as written, without
     * the spaces around it, a trailing comment or the line end; valueStart is where value begins in text.
     */
    record Item(Kind kind, String text, List<String> keys, boolean arrayOfTables, int valueStart, String value) {
        Item(Kind kind, String text, List<String> keys, boolean arrayOfTables) {
            this(kind, text, keys, arrayOfTables, -1, "");
        }
    }

    private final String s;
    private int p;
    /** Where the last value character seen by {@link #value} ends. */
    private int valueEnd;

    TomlLines(String s) {
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
                skipSpaces();
                if (p < s.length() && s.charAt(p) == '=') {
                    p++;
                }
                skipSpaces();
                int valueStart = p;
                valueEnd = p;
                value(false);
                out.add(new Item(Kind.KEY_VALUE, s.substring(start, p), keys, false, valueStart - start,
                        s.substring(valueStart, Math.max(valueStart, valueEnd))));
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

    /**
     * The key/value pairs of an inline table as written ({@code { a = 1, b.c = { d = 2 } }} gives
     * {@code ["a", "1"], ["b.c", "{ d = 2 }"]}): raw key text and raw value text.
     */
    static List<String[]> inlineTable(String value) {
        TomlLines l = new TomlLines(value);
        List<String[]> out = new ArrayList<>();
        l.p = value.indexOf('{') + 1;
        while (l.p > 0 && l.p < value.length()) {
            while (l.p < value.length() && (Character.isWhitespace(value.charAt(l.p)) || value.charAt(l.p) == ',')) {
                l.p++;
            }
            if (l.p >= value.length() || value.charAt(l.p) == '}') {
                break;
            }
            int keyStart = l.p;
            l.keys();
            String key = value.substring(keyStart, l.p).strip();
            l.skipSpaces();
            if (l.p < value.length() && value.charAt(l.p) == '=') {
                l.p++;
            }
            l.skipSpaces();
            int valueStart = l.p;
            l.valueEnd = l.p;
            l.value(true);
            out.add(new String[] {key, value.substring(valueStart, Math.max(valueStart, l.valueEnd))});
        }
        return out;
    }

    /**
     * From after the key's {@code =} to after the value's line end, through multi-line strings and
     * arrays; in an inline table (inline), to the {@code ,} or {@code }} that ends the value instead.
     */
    private void value(boolean inline) {
        int depth = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (inline && depth <= 0 && (c == ',' || c == '}')) {
                return;
            }
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '#') {
                valueEnd = -1; // set below, once the token is consumed
            }
            if (c == '\n') {
                p++;
                if (depth <= 0 && !inline) {
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
            if (valueEnd < 0) {
                valueEnd = p;
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
