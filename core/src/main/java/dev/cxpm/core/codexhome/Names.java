package dev.cxpm.core.codexhome;

/** How a refused name is quoted back: control characters (a NUL, a newline) made visible, and long ones cut. */
final class Names {
    private static final int SHOWN = 80;

    private Names() {
    }

    static String shown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(SHOWN).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > SHOWN ? b + "..." : b.toString();
    }
}
