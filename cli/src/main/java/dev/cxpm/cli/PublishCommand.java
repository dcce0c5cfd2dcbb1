package dev.cxpm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.surface.LastRelease;
import dev.cxpm.core.surface.Surface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class PublishCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "Plugin directory or packed .tgz (default: current directory).")
    String path;

    @CommandLine.Mixin
    RegistryOption registry;

    @Option(names = "--json", description = "Print JSON: {name, version, integrity, size, registry}.")
    boolean json;

    @Override
    public void run() {
        Env env = root.env;
        Path p = env.resolve(path == null ? "." : path);
        if (Files.isDirectory(p)) {
            PluginDirectory.requireManifest(p, "publish");
        }
        byte[] archive;
        Packer.Result packed = null;
        try {
            if (Files.isDirectory(p)) {
                Path tmp = Files.createTempFile("cxpm-publish-", ".tgz");
                try {
                    packed = new Packer().pack(p, tmp);
                    archive = Files.readAllBytes(packed.file());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } else if (Files.isRegularFile(p)) {
                archive = Files.readAllBytes(p);
            } else {
                throw new UserError(UserError.Kind.NOT_FOUND, "no plugin at " + p);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + p + ": " + e.getMessage());
        }
        RegistryLogin login = registry.login(env);
        RegistryClient.Published r = login.client(Terminal.of(env).progress()).publish(archive);
        if (packed != null) {
            try {
                LastRelease.published(login.url().toString(), packed.integrity(), Surface.of(Plugin.load(p), packed.contentDigest())).write(p);
            } catch (IOException | UserError e) {
                // Published all the same; only version's under-bump check loses its reference point.
                Terminal.of(env).warning("could not record the publish in " + LastRelease.fileOf(p) + ": " + e.getMessage());
            }
        }
        if (json) {
            env.out().println(new ObjectMapper().createObjectNode().put("name", r.name()).put("version", r.version())
                    .put("integrity", r.integrity()).put("size", r.size()).put("registry", login.url().toString()).toPrettyString());
        } else {
            env.out().println("published " + r.name() + "@" + r.version() + " to " + login.url() + " (" + r.size() + " bytes, " + r.integrity() + ")");
        }
    }
}
