package dev.cxpm.core.toml;

/** Writing TOML values and keys by hand: cxpm writes its files as text so their layout stays stable. */
public final class TomlStrings {

    private TomlStrings() {
    }

    /** A TOML basic string: {@code "..."} with quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A key as written in TOML: bare when it can be, quoted otherwise. */
    public static String key(String k) {
        return isBare(k) ? k : quote(k);
    }

    /** [A-Za-z0-9_-]+, by hand: a Pattern compiled when the class loads cost every cold sync (it writes config.toml). */
    private static boolean isBare(String k) {
        if (k.isEmpty()) {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
