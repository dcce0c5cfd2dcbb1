package dev.cxpm.core.registry;

import dev.cxpm.core.UserError;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.core.surface.Surface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client's half of the registry's SemVer rule, run before an upload: the release about to be published is
 * compared with the registry's previous release of the same line (from its public index document and that
 * release's archive, verified against the index's integrity and unpacked by the bounded Unpacker), so a bump too
 * small for its surface changes is refused with the diff and the version to use, and nothing is sent. The registry
 * checks again whatever client uploads; when the previous release cannot be read here, this check steps aside for it.
 */
public final class SemverBeforeUpload {
    private SemverBeforeUpload() {
    }

    /**
     * The refusal of upload's version, or empty when its bump is big enough, it is a first release, or no baseline can be
     * read. The previous release is downloaded and unpacked under {@code scratch} ({@link dev.cxpm.core.Scratch}).
     */
    public static Optional<UserError> refusal(RegistryClient client, Surface upload, Path scratch) {
        if (upload.name() == null || upload.version() == null || org.semver4j.Semver.parse(upload.version()) == null) {
            return Optional.empty(); // the registry refuses such a release with its own words
        }
        try {
            RegistryIndex index = RegistryIndex.parse(client.index(upload.name(), Optional.empty()).json(),
                    client.base() + "/api/v1/plugins/" + upload.name());
            List<SemverCheck.Release> releases = index.releases().stream()
                    .map(r -> new SemverCheck.Release(r.version().text(), r.yanked())).toList();
            Optional<String> previous = SemverCheck.previousRelease(upload.version(), releases);
            if (previous.isEmpty()) {
                return Optional.empty();
            }
            RegistryIndex.Release prev = index.releases().stream().filter(r -> r.version().text().equals(previous.get())).findFirst().orElseThrow();
            SemverCheck c = SemverCheck.of(previous.get(), surfaceOf(client, prev, scratch), upload.version(), upload,
                    releases.stream().map(SemverCheck.Release::version).toList());
            return c.ok() ? Optional.empty() : Optional.of(refuse(c));
        } catch (UserError e) {
            return Optional.empty(); // not found (a first release), unreachable, or an unreadable baseline: the registry decides
        }
    }

    private static Surface surfaceOf(RegistryClient client, RegistryIndex.Release release, Path scratch) {
        Path tmp;
        try {
            tmp = dev.cxpm.core.TempPaths.file(scratch, "previous-", ".tgz");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create a temp file: " + e.getMessage(), null, e);
        }
        try {
            client.download(release.tarball(), tmp);
            release.integrity().verify(tmp);
            return Surface.ofArchive(tmp, scratch);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temp file left behind: harmless
            }
        }
    }

    /** Worded as the registry's 422 semver-bump-too-small: the refusal, then each change beyond the bump. */
    private static UserError refuse(SemverCheck c) {
        StringBuilder b = new StringBuilder(c.refusal("publish"));
        c.diff().changes().stream().filter(ch -> ch.level().compareTo(c.declared()) > 0).forEach(ch -> b.append("\n  surface.")
                .append(ch.component().name().toLowerCase(Locale.ROOT).replace('_', '-')).append('-')
                .append(ch.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(SemverCheck.line(ch))
                .append(" (needs a ").append(ch.level().word()).append(" bump)"));
        return new UserError(UserError.Kind.INVALID_INPUT, b.toString(),
                "nothing was uploaded; set the version with `cxpm version " + c.suggested() + "` (or in the manifest), then publish again");
    }
}
