package dev.cxpm.core.format;

import java.nio.file.Path;

/**
 * Something the format model noticed while reading a file the way Codex does: a reason Codex rejects the
 * whole file, or skips an entry. Carries a stable code so validation reports can use it as is.
 */
public record Finding(String code, Path file, int line, String message, String hint) {
    /** This finding at that line. */
    public Finding at(int line) {
        return new Finding(code, file, line, message, hint);
    }
}
