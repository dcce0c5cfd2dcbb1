package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.CodexNames;
import java.util.Optional;

/**
 * A plugin version as the name of its directory ({@code plugins/cache/<marketplace>/<plugin>/<version>/}): what
 * Codex accepts (ASCII letters, digits, {@code .}, {@code +}, {@code _}, {@code -}; never {@code .} or {@code ..}),
 * or {@code local} for a plugin without one.
 */
public record VersionDir(String text) {

    public VersionDir {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, problem.get(),
                    "use a SemVer version such as 1.0.0");
        }
    }

    public static VersionDir of(String text) {
        return new VersionDir(text);
    }

    /** Why text cannot be a plugin version, in Codex's words with the text quoted (control characters shown); empty when it can. */
    public static Optional<String> problem(String text) {
        Optional<String> problem = CodexNames.versionProblem(text); // no lambda (Optional.map): checked on every cold command
        return problem.isEmpty() ? problem : Optional.of(problem.get().replace("invalid plugin version", "invalid plugin version `" + Names.shown(text) + "`"));
    }

    @Override
    public String toString() {
        return text;
    }
}
