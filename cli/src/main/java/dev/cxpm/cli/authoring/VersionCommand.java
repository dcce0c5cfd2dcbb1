package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.CompletionValues;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestLocation;
import dev.cxpm.core.surface.LastRelease;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.version.BumpLevel;
import dev.cxpm.core.version.ManifestVersionEdit;
import dev.cxpm.core.version.VersionBump;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.semver4j.Semver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm version}: bump the manifest's version, touching nothing but its characters. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Bump the plugin manifest's SemVer version (npm's rules for pre-releases).",
                "Only the version string changes; the rest of the file stays byte-identical.",
                "Refuses (exit 1) a bump smaller than the surface changes since the last 'cxpm pack' or 'cxpm publish' require "
                        + "(a skill removed in a patch), naming the version to use, as the registry would; --force bumps anyway."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm version patch",
                "      Bump 1.2.3 to 1.2.4 in the manifest of the current directory.",
                "  cxpm version prerelease --preid beta",
                "      Bump 1.2.3 to 1.2.4-beta.0.",
                "  cxpm version 2.0.0 ./demo",
                "      Set the version of the plugin in ./demo to 2.0.0."})
public final class VersionCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(index = "0", paramLabel = "BUMP", completionCandidates = CompletionValues.Bumps.class, description = "major, minor, patch, prerelease, or the exact version to set (X.Y.Z).")
    String bump;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "Plugin directory (default: current).")
    String dir;

    @Option(names = "--preid", paramLabel = "ID", description = "Pre-release identifier for prerelease (e.g. beta).")
    String preid;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--force", description = "Bump even when the surface changes need a bigger bump (a warning instead of exit 1).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Env env = root.env;
        Path pluginDir = env.resolve(dir == null ? "." : dir);
        Path manifest = manifestOf(pluginDir);
        String where = pluginDir.relativize(manifest).toString();
        String text;
        try {
            text = FileText.read(manifest, JsonFile.MAX_BYTES);
        } catch (CharacterCodingException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, manifest + " is not UTF-8");
        } catch (FileText.NotRegularFile e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, e.getMessage());
        } catch (FileText.TooLarge e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, manifest + " is larger than the " + e.maxBytes() + " bytes cxpm reads",
                    "manifests are small; check that the right file is named");
        }
        ManifestVersionEdit.Span span = ManifestVersionEdit.find(text, where);
        if (span == null) {
            throw new UserError(UserError.Kind.INVALID_INPUT, where + " has no \"version\" string",
                    "add \"version\": \"0.1.0\" to the manifest, then run cxpm version again");
        }
        Semver from = VersionBump.parse(span.value(), where);
        Semver to = VersionBump.next(from, bump, preid);
        if (to.toString().equals(from.toString())) {
            throw new UserError(UserError.Kind.USAGE, "the version is already " + from, null);
        }
        List<String> warnings = new java.util.ArrayList<>();
        if (to.compareTo(from) < 0) {
            warnings.add(to + " is lower than the current " + from);
        }
        Optional<LastRelease> last = LastRelease.read(pluginDir);
        SemverCheck check = null;
        try {
            check = sinceLastRelease(last, pluginDir, to);
        } catch (UserError e) {
            // The comparison is advice: a plugin that cannot be read for it still gets its version bumped.
            warnings.add("could not compare with the last packed or published version: " + e.getMessage());
        }
        if (check != null && !check.ok()) {
            String why = check.refusal("use") + "; " + check.previous() + " was " + last.get().how();
            if (!force) {
                throw new UserError(UserError.Kind.INVALID_INPUT, why, "cxpm version " + check.suggested() + " (or --force to bump to "
                        + to + " anyway)" + (last.get().file() == null ? "" : "; see: cxpm diff " + last.get().file() + " ."));
            }
            warnings.add(why + " (bumped anyway: --force)");
        } else if (check != null && check.declared() == BumpLevel.NONE && check.diff().contentChanged()) {
            warnings.add(check.previous() + " was " + last.get().how() + " with other content, and " + to + " is not higher");
        }
        writeAtomically(manifest, ManifestVersionEdit.replace(text, span, to.toString()));
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode o = om.createObjectNode();
            o.put("manifest", manifest.toString());
            o.put("from", from.toString());
            o.put("to", to.toString());
            warnings.forEach(o.putArray("warnings")::add);
            env.out().println(om.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            env.out().println(from + " -> " + to + " (" + where + ")");
            warnings.forEach(Terminal.of(env)::warning);
        }
        return ExitCodes.OK;
    }

    private static Path manifestOf(Path pluginDir) {
        if (!Files.isDirectory(pluginDir)) {
            throw new UserError(UserError.Kind.NOT_FOUND, pluginDir + ": no such plugin directory");
        }
        return ManifestLocation.find(pluginDir).map(ManifestLocation::file).orElseThrow(() -> new UserError(
                UserError.Kind.NOT_FOUND, "no plugin manifest in " + pluginDir,
                "run it in a plugin directory, or name one: cxpm version patch DIR"));
    }

    /**
     * When the plugin was packed or published before, the check of the new version against that release
     * ({@link SemverCheck}, the registry's rule); null when there is no such record. A bump smaller than the surface
     * changes need is refused with the version to use, or, with {@code --force}, made with a warning; a version not
     * above the released one is only warned about (the registry refuses it anyway).
     */
    private static SemverCheck sinceLastRelease(Optional<LastRelease> last, Path pluginDir, Semver to) {
        if (last.isEmpty() || last.get().surface().version() == null || Semver.parse(last.get().surface().version()) == null) {
            return null;
        }
        return SemverCheck.of(last.get().surface().version(), last.get().surface(), to.toString(), Surface.of(pluginDir), List.of());
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".cxpm-version-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: keep the default permissions
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
