package dev.cxpm.core.audit;

/** Text from a plugin or a registry made safe for a terminal: control and format characters shown as {@code ?}, bounded. */
final class SafeText {
    private SafeText() {
    }

    static String of(String text, int maxChars) {
        String t = text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
        StringBuilder b = new StringBuilder(t.length());
        t.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT ? '?' : cp));
        return b.toString();
    }
}
