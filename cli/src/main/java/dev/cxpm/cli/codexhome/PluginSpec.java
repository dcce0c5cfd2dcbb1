package dev.cxpm.cli.codexhome;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.resolve.VersionRange;
import java.util.Optional;

/**
 * {@code PLUGIN[@MARKETPLACE][@RANGE]} as typed to {@code add} and {@code install}. npm users write
 * {@code name@^0.3}; a marketplace name holds only letters, digits, {@code _} and {@code -}, so a last
 * {@code @} part that cannot be one but is a SemVer range ({@code ^0.3}, {@code 1.x}, {@code 1.2.3}) is read
 * as the range, as npm reads it, rather than refused as a marketplace name. A part that could be a
 * marketplace ({@code name@2}) stays one: Codex's own {@code PLUGIN@MARKETPLACE} comes first.
 */
public record PluginSpec(String plugin, Optional<String> range) {

    /** {@code plugin}: the text without its range, still {@code PLUGIN[@MARKETPLACE]} for the caller to check. */
    public static PluginSpec parse(String text, String rangeOption, String command) {
        int at = text.lastIndexOf('@');
        String tail = at > 0 ? text.substring(at + 1) : "";
        boolean isRange = !tail.isBlank() && MarketplaceName.problem(tail).isPresent()
                && VersionRange.parse(tail).filter(VersionRange::isSemverRange).isPresent();
        if (!isRange) {
            return new PluginSpec(text, Optional.ofNullable(rangeOption));
        }
        String plugin = text.substring(0, at);
        if (rangeOption != null) {
            throw new UserError(UserError.Kind.USAGE, "the version range is given twice: `@" + tail + "` and `--version "
                    + rangeOption + "`", "keep one, e.g. cxpm " + command + " " + plugin + " --version " + tail);
        }
        return new PluginSpec(plugin, Optional.of(tail));
    }
}
