package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code plugin@marketplace}, as Codex parses it: exactly one {@code @}, and names Codex accepts, so never
 * path syntax ({@code ..@fx} is refused as Codex refuses it).
 */
public record PluginId(String plugin, String marketplace) {
    public PluginId {
        PluginName.of(plugin);
        MarketplaceName.of(marketplace);
    }

    public static PluginId parse(String text, Optional<String> marketplaceOption) {
        int at = text.indexOf('@');
        if (at < 0 && marketplaceOption.isPresent()) {
            Optional<String> problem = PluginName.problem(text).or(() -> MarketplaceName.problem(marketplaceOption.get()));
            if (problem.isPresent()) {
                throw new UserError(UserError.Kind.USAGE, problem.get(), "e.g. cxpm install demo --marketplace my-marketplace");
            }
            return new PluginId(text, marketplaceOption.get());
        }
        boolean oneAt = at > 0 && at == text.lastIndexOf('@') && at < text.length() - 1;
        Optional<String> problem = !oneAt ? Optional.empty() : PluginName.problem(text.substring(0, at));
        if (oneAt && problem.isEmpty()) { // not Optional.or's lambda: its first link costs a cold install ms
            problem = MarketplaceName.problem(text.substring(at + 1));
        }
        if (!oneAt || problem.isPresent()) { // Codex gives this one message for both
            throw new UserError(UserError.Kind.USAGE, "plugin requires --marketplace unless passed as <plugin>@<marketplace>",
                    problem.map(p -> p + "; ").orElse("")
                            + "e.g. cxpm install demo@my-marketplace; cxpm marketplace list shows the marketplaces");
        }
        return new PluginId(text.substring(0, at), text.substring(at + 1));
    }

    public PluginName pluginName() {
        return PluginName.of(plugin);
    }

    public MarketplaceName marketplaceName() {
        return MarketplaceName.of(marketplace);
    }

    /** {@code plugins/cache/<marketplace>/<plugin>} in home. */
    public Path dirIn(CodexHome home) {
        return home.pluginDir(marketplaceName(), pluginName());
    }

    @Override
    public String toString() {
        return plugin + "@" + marketplace;
    }
}
