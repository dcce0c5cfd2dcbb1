package dev.cxpm.core.codexhome;

import java.util.List;

/** Keys, strings and {@code [header]} lines as toml_edit writes new ones into config.toml. */
final class TomlKeys {

    private TomlKeys() {
    }

    /** A {@code [a."b@c"]} header line, ending in LF. */
    static String header(List<String> path) {
        // loops, not streams: a sync writes one header per plugin, and a fresh JVM ran each stream interpreted
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < path.size(); k++) {
            b.append(k == 0 ? "" : ".").append(formatKey(path.get(k)));
        }
        return b.append("]\n").toString();
    }

    /** A key as toml_edit writes a new one: bare when it can be, else a basic string. */
    static String formatKey(String key) {
        boolean bare = !key.isEmpty();
        for (int k = 0; bare && k < key.length(); k++) {
            char c = key.charAt(k);
            bare = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
        }
        return bare ? key : formatString(key);
    }

    /** A string value as toml_edit writes a new one. */
    static String formatString(String value) {
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
