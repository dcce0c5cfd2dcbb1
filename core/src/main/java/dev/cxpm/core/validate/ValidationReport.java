package dev.cxpm.core.validate;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The result of validating one path: what it was validated as ({@code plugin}, {@code marketplace} or
 * {@code plugin+marketplace} for a directory holding both), and every problem found, errors first.
 */
public record ValidationReport(Path path, String kind, List<Problem> problems) {
    public ValidationReport {
        problems = problems.stream()
                .sorted(Comparator.comparing(Problem::severity)
                        .thenComparing(p -> p.file() == null ? "" : p.file().toString())
                        .thenComparingInt(Problem::line))
                .toList();
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
