package dev.cxpm.core.validate;

import java.nio.file.Path;

/**
 * One thing wrong with a plugin or marketplace: a stable {@code code} (programs match on it, e.g.
 * {@code version.blank}), the file and 1-based line where known (0 otherwise), what is wrong and how to fix it.
 */
public record Problem(Severity severity, String code, Path file, int line, String message, String hint) {
    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
