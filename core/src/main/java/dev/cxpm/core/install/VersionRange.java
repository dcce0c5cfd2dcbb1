package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * An npm-style version range ({@code ^1.2}, {@code ~1.2.3}, {@code 1.x}, {@code >=1 <2}, exact). Versions
 * that are not SemVer (or absent: Codex's {@code local}) never satisfy a range, so a range skips them.
 */
public record VersionRange(String text) {

    public static VersionRange parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new UserError(UserError.Kind.USAGE, "empty version range", "examples: ^1.2, ~1.2.3, 1.x, 1.4.0");
        }
        try {
            new Semver("0.0.0").satisfies(t);
        } catch (RuntimeException e) {
            throw new UserError(UserError.Kind.USAGE, "invalid version range '" + text + "'", "examples: ^1.2, ~1.2.3, 1.x, 1.4.0");
        }
        return new VersionRange(t);
    }

    public boolean matches(String version) {
        Semver v = Semver.parse(version);
        if (v == null) {
            return false;
        }
        try {
            return v.satisfies(text);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Optional<Semver> semver(String version) {
        return Optional.ofNullable(Semver.parse(version));
    }
}
