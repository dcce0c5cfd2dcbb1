package dev.cxpm.core.audit.scan;

import dev.cxpm.core.PlainText;
import dev.cxpm.core.audit.AuditedPlugin;
import dev.cxpm.core.audit.Finding;
import dev.cxpm.core.audit.Findings;
import dev.cxpm.core.audit.Severity;
import java.util.Locale;

/**
 * Characters that a reader of SKILL.md or of a prompt does not see but the model reads ("Trojan Source"):
 * bidirectional controls that reorder what is shown, tag characters that spell hidden ASCII, and zero-width
 * characters. One finding per line and kind, with the column of the first; hidden tag text is decoded so the
 * user sees what it says. Zero-width joiners have honest uses (emoji), hence a warning; the others an error.
 */
final class HiddenUnicode {
    static final int MAX_PER_FILE = 20;

    private HiddenUnicode() {
    }

    /** SKILL.md anywhere, and markdown under a {@code prompts} or {@code commands} directory: what reaches the model as instructions. */
    static boolean applies(String rel) {
        String lower = rel.toLowerCase(Locale.ROOT);
        if (lower.equals("skill.md") || lower.endsWith("/skill.md")) {
            return true;
        }
        if (!lower.endsWith(".md")) {
            return false;
        }
        for (String segment : lower.split("/")) {
            if (segment.equals("prompts") || segment.equals("commands")) {
                return true;
            }
        }
        return false;
    }

    private enum Kind {
        BIDI("bidi-control", Severity.ERROR, "a bidirectional control character"),
        TAG("invisible-tag", Severity.ERROR, "invisible tag characters"),
        ZERO_WIDTH("zero-width", Severity.WARNING, "a zero-width character");

        final String code;
        final Severity severity;
        final String what;

        Kind(String code, Severity severity, String what) {
            this.code = code;
            this.severity = severity;
            this.what = what;
        }
    }

    private static Kind kindOf(int cp, int offset) {
        if (cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069 || cp == 0x200E || cp == 0x200F || cp == 0x061C) {
            return Kind.BIDI;
        }
        if (cp >= 0xE0000 && cp <= 0xE007F) {
            return Kind.TAG;
        }
        if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0x180E || cp == 0xFEFF && offset > 0) {
            return Kind.ZERO_WIDTH;
        }
        return null;
    }

    static void scan(AuditedPlugin plugin, String rel, String text, Findings out) {
        int found = 0;
        int line = 1;
        int column = 0;
        // per line: the first column of each kind, and the hidden ASCII spelled by tag characters
        int[] first = new int[Kind.values().length];
        int[] firstCp = new int[Kind.values().length];
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i <= text.length() && found < MAX_PER_FILE; ) {
            int cp = i < text.length() ? text.codePointAt(i) : '\n';
            if (cp == '\n') {
                for (Kind k : Kind.values()) {
                    if (first[k.ordinal()] > 0 && found < MAX_PER_FILE) {
                        out.add(Finding.at(k.severity, k.code, plugin, rel, line, message(first[k.ordinal()], k, firstCp[k.ordinal()], tags),
                                "open the file in an editor that shows hidden characters; if you did not expect them, the plugin may hide "
                                        + "instructions from you: uninstall it and tell its author"));
                        found++;
                    }
                    first[k.ordinal()] = 0;
                }
                tags.setLength(0);
                line++;
                column = 0;
            } else {
                column++;
                Kind k = kindOf(cp, i);
                if (k != null && first[k.ordinal()] == 0) {
                    first[k.ordinal()] = column;
                    firstCp[k.ordinal()] = cp;
                }
                if (k == Kind.TAG && tags.length() < 200) {
                    int ascii = cp - 0xE0000;
                    tags.append(ascii >= 0x20 && ascii < 0x7F ? (char) ascii : '?');
                }
            }
            i += Character.charCount(cp);
        }
    }

    private static String message(int column, Kind k, int cp, CharSequence tags) {
        String name = Character.getName(cp);
        String m = "column " + column + " has " + k.what + " (U+" + String.format("%04X", cp)
                + (name == null ? "" : " " + name) + ")";
        return k == Kind.TAG && !tags.isEmpty() ? m + " spelling hidden text \"" + PlainText.printable(tags.toString(), 120) + "\"" : m;
    }
}
