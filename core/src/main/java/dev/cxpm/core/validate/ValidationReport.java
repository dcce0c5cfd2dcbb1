package dev.cxpm.core.validate;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of validating one path: what it was validated as ({@code plugin}, {@code marketplace} or
 * {@code plugin+marketplace} for a directory holding both), and every problem found, errors first.
 */
public record ValidationReport(Path path, String kind, List<Problem> problems) {
    public ValidationReport {
        problems = problems.stream().sorted(ValidationReport::order).toList();
    }

    /**
     * Errors first, then by file and line. Written out: Comparator.comparing's lambdas are serializable, which the
     * class-data archive cannot hold, so a cold validate spun them at run time (docs/BENCHMARKS.md).
     */
    private static int order(Problem a, Problem b) {
        int c = a.severity().compareTo(b.severity());
        if (c == 0) {
            c = fileText(a).compareTo(fileText(b));
        }
        return c != 0 ? c : Integer.compare(a.line(), b.line());
    }

    private static String fileText(Problem p) {
        return p.file() == null ? "" : p.file().toString();
    }

    /** True when the real tools would accept it: no problem of ERROR severity. */
    public boolean valid() {
        return problems.stream().noneMatch(Problem::isError);
    }

    public long errorCount() {
        return problems.stream().filter(Problem::isError).count();
    }

    /** Problems (warnings unless {@code --strict}) naming a part Codex would install but not use. */
    public long unusableCount() {
        return problems.stream().filter(Problem::unusableByCodex).count();
    }

    public long warningCount() {
        return problems.size() - errorCount();
    }
}
