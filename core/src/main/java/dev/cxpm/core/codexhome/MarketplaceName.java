package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.CodexNames;
import java.util.Optional;

/**
 * A marketplace name Codex accepts (ASCII letters, digits, {@code _}, {@code -}): the only form in which a
 * marketplace name reaches {@link CodexHome}'s paths ({@code plugins/cache/<name>/}, {@code .tmp/marketplaces/<name>/},
 * {@code .cxpm/registries/<name>/}), so none of them can be path syntax whatever file the name came from.
 */
public record MarketplaceName(String text) {

    public MarketplaceName {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, problem.get(),
                    "a marketplace is known by the `name` in its manifest; use one like `" + CodexNames.asMarketplaceName(String.valueOf(text)) + "`");
        }
    }

    public static MarketplaceName of(String text) {
        return new MarketplaceName(text);
    }

    /** Why text cannot be a marketplace name, in Codex's words with the text quoted (control characters shown); empty when it can. */
    public static Optional<String> problem(String text) {
        Optional<String> problem = CodexNames.marketplaceNameProblem(text); // no lambda (Optional.map): checked on every cold command
        return problem.isEmpty() ? problem : Optional.of(problem.get().replace("invalid marketplace name", "invalid marketplace name `" + Names.shown(text) + "`"));
    }

    @Override
    public String toString() {
        return text;
    }
}
