package dev.cxpm.core.surface;

import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.version.BumpLevel;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.semver4j.Semver;

/**
 * SemVer's promise checked against what a plugin offers: a release whose surface changed more than its version
 * says (a skill removed in a patch) is refused by {@code cxpm version}, {@code cxpm publish} and the registry, with
 * the version to use. One rule for all of them, so the client and the server never disagree.
 *
 * <p>The release a new version is compared with is the one cargo-semver-checks takes as its baseline: the greatest
 * published version below it that is neither yanked nor a pre-release (build metadata ignored). A pre-release is
 * held to the version it announces: 1.2.4-beta.1 is a patch of 1.2.3 and may not remove a skill (2.0.0-beta.1 may),
 * while pre-releases of one version may differ freely among themselves, as SemVer allows. Below 1.0.0 the bump is
 * read as npm's caret reads it ({@link BumpLevel#between}): 0.3.0 to 0.4.0 may break, 0.3.0 to 0.3.1 may add but
 * not remove, and every 0.0.x step may break.
 *
 * @param previous the release compared with
 * @param next the new version
 * @param required the smallest bump the surface changes need
 * @param declared the bump from {@code previous} to {@code next}
 * @param suggested the smallest version with a big enough bump that is not published yet
 */
public record SemverCheck(String previous, String next, SurfaceDiff diff, BumpLevel required, BumpLevel declared,
        String suggested) {

    /** A published version and whether it is yanked. */
    public record Release(String version, boolean yanked) {
    }

    /** The release {@code next} is compared with; empty for the first release of a plugin. */
    public static Optional<String> previousRelease(String next, Collection<Release> published) {
        Semver n = PluginVersion.parseSemver(next);
        if (n == null) {
            return Optional.empty();
        }
        // a registry's list is from outside: a version semver4j cannot compare is not a baseline
        return published.stream().filter(r -> !r.yanked() && PluginVersion.parseSemver(r.version()) != null)
                .filter(r -> Semver.parse(r.version()).getPreRelease().isEmpty() && Semver.parse(r.version()).compareTo(n) < 0)
                .max((a, b) -> Semver.parse(a.version()).compareTo(Semver.parse(b.version()))).map(Release::version);
    }

    /**
     * The check of {@code next} against {@code previous}; {@code taken} are the published versions, so the
     * suggested one is free.
     */
    public static SemverCheck of(String previous, Surface before, String next, Surface after, Collection<String> taken) {
        Semver p = Semver.parse(previous);
        Semver n = Semver.parse(next);
        SurfaceDiff diff = SurfaceDiff.between(before, after);
        BumpLevel required = surfaceLevel(diff);
        BumpLevel declared = BumpLevel.between(p, n);
        Set<String> used = taken.stream().map(SemverCheck::withoutBuild).collect(Collectors.toSet());
        Semver s = bump(p, required.compareTo(BumpLevel.PATCH) < 0 ? BumpLevel.PATCH : required);
        String pre = n.getPreRelease().isEmpty() ? "" : "-" + String.join(".", n.getPreRelease());
        while (used.contains(s.getVersion() + pre)) {
            s = bump(s, required);
        }
        return new SemverCheck(p.getVersion(), next, diff, required, declared, s.getVersion() + pre);
    }

    /** Only what users see decides: a content-only change is a patch, which any higher version is. */
    private static BumpLevel surfaceLevel(SurfaceDiff diff) {
        BumpLevel r = diff.required();
        return r.compareTo(BumpLevel.MINOR) >= 0 ? r : BumpLevel.NONE;
    }

    public boolean ok() {
        return declared.compareTo(required) >= 0;
    }

    /** Why the bump is too small, e.g. "removing skill `review` is a breaking change since 1.2.3". */
    public String reason() {
        SurfaceDiff.Change why = diff.biggest();
        String what = why == null ? "the changes" : verb(why.kind()) + " " + word(why.component()) + " `" + why.name() + "`";
        return what + (required == BumpLevel.MAJOR ? " is a breaking change" : " is a new feature") + " since " + previous;
    }

    /** The refusal in one line: {@code reason(): publish 2.0.0, not 1.2.4}. */
    public String refusal(String verb) {
        return reason() + ": " + verb + " " + suggested + ", not " + next
                + " (SemVer needs a " + required.word() + " bump from " + previous + ", " + next + " is "
                + (declared == BumpLevel.NONE ? "not higher" : "a " + declared.word() + " one") + ")";
    }

    /** The surface changes in words, one a line ("removed skill `review`"). */
    public static List<String> lines(SurfaceDiff diff) {
        return diff.changes().stream().map(SemverCheck::line).toList();
    }

    public static String line(SurfaceDiff.Change c) {
        String kind = c.kind().name().toLowerCase(Locale.ROOT);
        String detail = c.detail() == null || c.detail().equals(kind) ? "" : ": " + c.detail();
        return kind + " " + word(c.component()) + " `" + c.name() + "`" + detail;
    }

    public static String word(SurfaceDiff.Component c) {
        return switch (c) {
            case NAME -> "plugin name";
            case SKILL -> "skill";
            case MCP_SERVER -> "MCP server";
            case APP -> "app";
            case CAPABILITY -> "capability";
            case COMMAND -> "slash command";
            case HOOK -> "hook";
        };
    }

    private static String verb(SurfaceDiff.Kind k) {
        return switch (k) {
            case ADDED -> "adding";
            case REMOVED -> "removing";
            case RENAMED -> "renaming";
            case CHANGED -> "changing";
        };
    }

    /** The smallest version above {@code v} that a bump of {@code level} allows, read as npm's caret reads 0.x. */
    private static Semver bump(Semver v, BumpLevel level) {
        Semver r = Semver.parse(v.getMajor() + "." + v.getMinor() + "." + v.getPatch());
        if (level == BumpLevel.MAJOR) {
            return v.getMajor() > 0 ? r.nextMajor() : v.getMinor() > 0 ? r.nextMinor() : r.nextPatch();
        }
        if (level == BumpLevel.MINOR) {
            return v.getMajor() > 0 ? r.nextMinor() : r.nextPatch();
        }
        return r.nextPatch();
    }

    private static String withoutBuild(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }
}
