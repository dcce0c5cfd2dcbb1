package dev.cxpm.registry.storage;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.semver4j.Semver;

/** SemVer rules the registry applies: what a valid version is, and which one is the latest. */
public final class Versions {

    private Versions() {
    }

    public static boolean isValid(String version) {
        return version != null && Semver.isValid(version);
    }

    /**
     * The version without its build metadata ({@code 1.0.0+rebuilt} is {@code 1.0.0}): SemVer gives both the
     * same precedence, so the registry holds at most one of them.
     */
    public static String withoutBuild(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    public static final Comparator<String> ORDER = Comparator.comparing(Semver::parse);

    /** The highest release among the given versions, or the highest pre-release when there is no release. */
    public static Optional<String> latest(Collection<String> versions) {
        Optional<String> release = versions.stream().filter(Versions::isValid)
                .filter(v -> Semver.parse(v).getPreRelease().isEmpty()).max(ORDER);
        return release.isPresent() ? release : versions.stream().filter(Versions::isValid).max(ORDER);
    }
}
