package dev.cxpm.core.validate;

import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems while a validator runs. {@link #error} is for what the real tools reject;
 * {@link #strict} is for cxpm's own stricter rules: a warning, or an error under {@code --strict}.
 */
final class Problems {
    private final boolean strict;
    private final List<Problem> list = new ArrayList<>();

    Problems(boolean strict) {
        this.strict = strict;
    }

    boolean strictMode() {
        return strict;
    }

    void error(String code, Path file, int line, String message, String hint) {
        list.add(new Problem(Severity.ERROR, code, file, line, message, hint));
    }

    void strict(String code, Path file, int line, String message, String hint) {
        list.add(new Problem(strict ? Severity.ERROR : Severity.WARNING, code, file, line, message, hint));
    }

    void warning(String code, Path file, int line, String message, String hint) {
        list.add(new Problem(Severity.WARNING, code, file, line, message, hint));
    }

    /** A file that does not parse, at its line and column; under --strict only when strictOnly. */
    void unparsable(Severity severity, String code, JsonFile.Failure f, String what) {
        list.add(new Problem(severity, code, f.file(), f.line(), f.column(), what + ": " + f.message(), f.hint()));
    }

    Severity strictSeverity() {
        return strict ? Severity.ERROR : Severity.WARNING;
    }

    void error(Finding f) {
        error(f.code(), f.file(), f.line(), f.message(), f.hint());
    }

    void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    List<Problem> list() {
        return List.copyOf(list);
    }
}
