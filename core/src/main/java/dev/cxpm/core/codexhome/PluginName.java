package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.CodexNames;
import java.util.Optional;

/**
 * A plugin name Codex accepts (ASCII letters, digits, {@code _}, {@code -} in dot-separated segments; never
 * {@code .} or {@code ..}): the only form in which a plugin name reaches {@link CodexHome}'s paths
 * ({@code plugins/cache/<marketplace>/<name>/}). {@code init.PluginName} is the stricter name cxpm itself writes.
 */
public record PluginName(String text) {

    public PluginName {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, problem.get(),
                    "plugin names are ASCII letters, digits, `_` and `-`, in segments separated by single dots");
        }
    }

    public static PluginName of(String text) {
        return new PluginName(text);
    }

    /** Why text cannot be a plugin name, in Codex's words with the text quoted (control characters shown); empty when it can. */
    public static Optional<String> problem(String text) {
        Optional<String> problem = CodexNames.pluginNameProblem(text); // no lambda (Optional.map): checked on every cold command
        return problem.isEmpty() ? problem : Optional.of(problem.get().replace("invalid plugin name", "invalid plugin name `" + Names.shown(text) + "`"));
    }

    @Override
    public String toString() {
        return text;
    }
}
