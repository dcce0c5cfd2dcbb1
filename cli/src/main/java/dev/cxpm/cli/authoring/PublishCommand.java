package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Failure;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.Scratch;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.PublishedSource;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.surface.LastRelease;
import dev.cxpm.core.surface.Surface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.cxpm.core.registry.SemverBeforeUpload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.validate.PluginValidator;
import dev.cxpm.core.validate.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm publish}: uploads a plugin (a directory, packed as {@code cxpm pack} does, or a packed .tgz) to a registry. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a plugin to a registry, which checks it and refuses it with every problem found.",
                "A published version never changes (publishing it again is refused: bump the version).",
                "Publishing a directory records the release in DIR/.cxpm/last-release.json (for cxpm version's check)."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm publish",
                "      Pack the plugin in the current directory and publish it.",
                "  cxpm publish demo-1.0.0.tgz --registry https://plugins.example.test",
                "      Publish an archive made by cxpm pack to that registry."})
public final class PublishCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Plugin directory or packed .tgz (default: current directory).")
    String path;

    @CommandLine.Mixin
    RegistryOption registry;

    @Option(names = "--json", description = "Print JSON: {name, version, integrity, size, registry}.")
    boolean json;

    @Override
    public Integer call() {
        Env env = root.env;
        Path p = env.resolve(path == null ? "." : path);
        if (Files.isDirectory(p)) {
            PluginDirectory.requireManifest(p, "publish");
            if (refused(env, p)) {
                return ExitCodes.INVALID;
            }
        }
        // the archive stays on disk and is streamed from there: memory is bounded whatever it holds (issue 12)
        Packer.Result packed = null;
        Path tmp = null;
        try {
            Path archive;
            if (Files.isDirectory(p)) {
                tmp = TempPaths.file(scratch(env), "publish-", ".tgz");
                packed = new Packer().pack(p, tmp);
                archive = packed.file();
            } else if (Files.isRegularFile(p)) {
                archive = p;
            } else if (Files.exists(p)) { // never opened: a named pipe's open waits for a writer
                throw new UserError(UserError.Kind.INVALID_INPUT, p + " must be a plugin directory or a regular .tgz file; it is a named pipe, socket or device");
            } else {
                throw new UserError(UserError.Kind.NOT_FOUND, "no plugin at " + p);
            }
            RegistryClient.uploadSize(archive); // too big: refused before the SemVer check talks to the registry
            return publish(env, p, archive, packed);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + p + ": " + e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    private int publish(Env env, Path p, Path archive, Packer.Result packed) {
        Surface surface = surfaceOf(env, p, packed);
        RegistryLogin login = registry.login(env);
        if (surface != null) {
            Optional<UserError> tooSmall = SemverBeforeUpload.refusal(login.client(), surface, scratch(env));
            if (tooSmall.isPresent()) {
                throw tooSmall.get();
            }
        }
        // a directory in a clean git checkout says where it was built from; a packed .tgz says nothing
        PublishedSource.Found source = packed == null ? new PublishedSource.Unknown("a packed archive was given")
                : PublishedSource.of(new dev.cxpm.core.marketplace.GitCli(env.vars(), env.cwd()), p);
        RegistryClient.Published r = login.client(Terminal.of(env).progress()).publish(archive,
                source instanceof PublishedSource.Clean c ? Optional.of(c.source()) : Optional.empty());
        if (packed != null && surface != null) {
            try {
                LastRelease.published(login.url().toString(), packed.integrity(), surface).write(p);
            } catch (IOException | UserError e) {
                // Published all the same; only version's under-bump check loses its reference point.
                Terminal.of(env).warning("could not record the publish in " + LastRelease.fileOf(p) + ": " + e.getMessage());
            }
        }
        if (json) {
            var o = new ObjectMapper().createObjectNode().put("name", r.name()).put("version", r.version())
                    .put("integrity", r.integrity()).put("size", r.size()).put("registry", login.url().toString());
            if (source instanceof PublishedSource.Clean c) {
                o.putObject("source").put("repository", c.source().repository()).put("commit", c.source().commit());
            } else {
                o.putNull("source");
            }
            env.out().println(o.toPrettyString());
        } else {
            env.out().println("published " + r.name() + "@" + r.version() + " to " + login.url() + " (" + r.size() + " bytes, " + r.integrity() + ")");
            env.out().println(switch (source) {
                case PublishedSource.Clean c -> "source: " + c.source().repository() + " at " + c.source().commit();
                case PublishedSource.Unknown u -> "source: not recorded (" + u.why() + ")";
            });
        }
        return ExitCodes.OK;
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temp file left behind: harmless
            }
        }
    }

    /** Where publish packs and unpacks: under the store ({@link Scratch}), never the shared temp dir. */
    private static Path scratch(Env env) {
        return Scratch.under(dev.cxpm.core.sync.store.Store.resolve(env.vars(), env.cwd()).dir(), env.clock());
    }

    /** What users of the release will see, for the SemVer check before upload; null when unreadable (the registry says why). */
    private static Surface surfaceOf(Env env, Path p, Packer.Result packed) {
        try {
            return packed != null ? Surface.of(Plugin.load(p), packed.contentDigest()) : Surface.ofArchive(p, scratch(env));
        } catch (UserError e) {
            return null;
        }
    }

    /** What makes the manifest unreadable: the registry could only say that it is, not where. */
    private static final java.util.Set<String> UNREADABLE = java.util.Set.of(
            "manifest.invalid-json", "manifest.duplicate-key", "manifest.not-object", "claude.invalid-json");

    /**
     * A manifest that does not parse is refused here, before anything is packed or sent, as validate reports it
     * (file, line, column, code, hint). Every other problem is left to the registry, which reports all of its
     * rules together (a description is required to publish, which validate does not require), so that a user
     * fixes a plugin in one round.
     */
    private boolean refused(Env env, Path dir) {
        List<Problem> problems = new PluginValidator(true).validate(dir).stream()
                .filter(pr -> pr.isError() && UNREADABLE.contains(pr.code())).toList();
        long errors = problems.size();
        if (errors == 0) {
            return false;
        }
        Failure refusal = new Failure(ExitCodes.name(UserError.Kind.INVALID_INPUT), "not published: the registry cannot read the manifest"
                + (json ? "" : " (see above)"), "'cxpm validate " + dir + "' shows the same; fix it and publish again");
        if (json) {
            ObjectNode o = JsonOutput.object().put("published", false).put("path", dir.toString());
            PackCommand.problemsJson(o, problems);
            env.out().println(JsonOutput.pretty(refusal.addTo(o)));
        } else {
            problems.forEach(pr -> env.err().println(PackCommand.describe(env, pr)));
            refusal.print(env, false);
        }
        return true;
    }
}
