package dev.cxpm.core.audit;

import dev.cxpm.core.PlainText;

/**
 * One thing an audit found about an installed plugin. code is stable (scripts and policies match on it);
 * file is the path inside the plugin's directory ({@code /}-separated) or null when the finding is about the
 * plugin as a whole; line is 1-based, 0 when it does not apply. Text from the plugin or a registry is
 * made safe to print here (no control characters, bounded); a check never puts a full secret into it.
 */
public record Finding(Severity severity, String code, String plugin, String file, int line, String message, String hint) {

    public Finding {
        file = file == null ? null : PlainText.printable(file, 300);
        message = PlainText.printable(message, 2000);
        hint = PlainText.printable(hint, 1000);
    }

    public static Finding of(Severity severity, String code, AuditedPlugin plugin, String message, String hint) {
        return new Finding(severity, code, plugin.id(), null, 0, message, hint);
    }

    public static Finding at(Severity severity, String code, AuditedPlugin plugin, String file, int line, String message, String hint) {
        return new Finding(severity, code, plugin.id(), file, line, message, hint);
    }

    /** {@code file:line}, {@code file}, or empty. */
    public String where() {
        if (file == null) {
            return "";
        }
        return line > 0 ? file + ":" + line : file;
    }
}
