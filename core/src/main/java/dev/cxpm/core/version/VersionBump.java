package dev.cxpm.core.version;

import dev.cxpm.core.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.semver4j.Semver;

/**
 * The next version for {@code cxpm version}, with npm's rules for pre-releases: {@code major} of
 * 2.0.0-rc.1 is 2.0.0 (the release it was heading to), {@code minor} of 1.3.0-beta is 1.3.0,
 * {@code patch} of 1.2.4-0 is 1.2.4; otherwise the part is incremented and the lower parts reset.
 * {@code prerelease} starts or continues a pre-release (1.2.3 -> 1.2.4-0 -> 1.2.4-1, or with an id
 * 1.2.4-beta.0). An explicit X.Y.Z must be valid SemVer. Build metadata is dropped by every keyword.
 */
public final class VersionBump {
    private VersionBump() {
    }

    public static final List<String> KEYWORDS = List.of("major", "minor", "patch", "prerelease");

    /** Parses a manifest version as SemVer, strictly (no leading 'v', no missing parts). */
    public static Semver parse(String version, String where) {
        Semver v = version == null ? null : Semver.parse(version.trim());
        if (v == null || version.trim().startsWith("v")) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "version '" + version + "' in " + where + " is not SemVer",
                    "use MAJOR.MINOR.PATCH, e.g. 1.0.0, or give the new version explicitly: cxpm version 1.0.0");
        }
        return v;
    }

    /** The version {@code request} (a keyword or an explicit version) leads to from {@code current}. */
    public static Semver next(Semver current, String request, String preid) {
        String r = request.trim().toLowerCase(Locale.ROOT);
        int major = current.getMajor();
        int minor = current.getMinor();
        int patch = current.getPatch();
        boolean pre = !current.getPreRelease().isEmpty();
        return switch (r) {
            case "major" -> Semver.create(minor == 0 && patch == 0 && pre ? major : major + 1, 0, 0);
            case "minor" -> Semver.create(major, patch == 0 && pre ? minor : minor + 1, 0);
            case "patch" -> Semver.create(major, minor, pre ? patch : patch + 1);
            case "prerelease" -> prerelease(current, preid);
            default -> {
                Semver explicit = Semver.parse(request.trim());
                if (explicit == null || request.trim().startsWith("v")) {
                    throw new UserError(UserError.Kind.USAGE, "'" + request + "' is neither major, minor, patch, "
                            + "prerelease nor a SemVer version", "examples: cxpm version minor, cxpm version 2.0.0-rc.1");
                }
                yield explicit;
            }
        };
    }

    private static Semver prerelease(Semver current, String preid) {
        List<String> parts = new ArrayList<>(current.getPreRelease());
        Semver base = Semver.create(current.getMajor(), current.getMinor(), current.getPatch());
        if (parts.isEmpty()) {
            base = base.withIncPatch();
            return base.withPreRelease(preid == null ? "0" : preid + ".0");
        }
        if (preid != null && !parts.get(0).equals(preid)) {
            return base.withPreRelease(preid + ".0");
        }
        int last = parts.size() - 1;
        if (parts.get(last).matches("\\d+")) {
            parts.set(last, String.valueOf(Long.parseLong(parts.get(last)) + 1));
        } else {
            parts.add("0");
        }
        return base.withPreRelease(String.join(".", parts));
    }
}
