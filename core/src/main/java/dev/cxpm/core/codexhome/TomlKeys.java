package dev.cxpm.core.codexhome;

import java.util.List;

/** Keys, strings and {@code [header]} lines as toml_edit writes new ones into config.toml. */
final class TomlKeys {

    private TomlKeys() {
    }

    /** A {@code [a."b@c"]} header line, ending in LF. */
    static String header(List<String> path) {
        // one builder of the line's size, each key classified in one pass: a sync writes one header per plugin, on a
        // fresh JVM mostly interpreted (streams, then a builder per key and one per string, cost ~4 ms at 1,000)
        int size = 2;
        for (int k = 0; k < path.size(); k++) {
            size += path.get(k).length() + 3;
        }
        StringBuilder b = new StringBuilder(size).append('[');
        for (int k = 0; k < path.size(); k++) {
            if (k > 0) {
                b.append('.');
            }
            appendKey(b, path.get(k));
        }
        return b.append("]\n").toString();
    }

    /** A key as toml_edit writes a new one: bare when it can be, else a basic string. */
    static String formatKey(String key) {
        int shape = shape(key);
        return shape == BARE ? key : shape == PLAIN ? "\"" + key + "\"" : formatString(key);
    }

    private static void appendKey(StringBuilder b, String key) {
        int shape = shape(key);
        if (shape == BARE) {
            b.append(key);
        } else if (shape == PLAIN) {
            b.append('"').append(key).append('"');
        } else {
            b.append(formatString(key));
        }
    }

    /** How a key or string is written: bare (a key only), a basic string as it is, or formatString's other forms. */
    private static final int BARE = 0;
    private static final int PLAIN = 1;
    private static final int OTHER = 2;

    /** One pass over s: bare is ASCII letters, digits, _ and -; plain has no control character, quote or backslash. */
    private static int shape(String s) {
        boolean bare = !s.isEmpty();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_') {
                continue;
            }
            bare = false;
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                return OTHER;
            }
        }
        return bare ? BARE : PLAIN;
    }

    /** A string value as toml_edit writes a new one. */
    static String formatString(String value) {
        if (shape(value) != OTHER) {
            return "\"" + value + "\"";
        }
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
}
