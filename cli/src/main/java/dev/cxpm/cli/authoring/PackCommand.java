package dev.cxpm.cli.authoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.surface.LastRelease;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.core.validate.PluginValidator;
import dev.cxpm.core.validate.Problem;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.version.VersionBump;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.pack.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.semver4j.Semver;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm pack}: the plugin as a reproducible .tgz, with its integrity. */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Pack a plugin into a reproducible .tgz and print its size and sha512 integrity.",
                "Refuses a plugin with errors under strict validation (cxpm validate --strict), showing them.",
                "Leaves out .git, .gitattributes and .gitmodules (registries refuse them), what the .cxpmignore file lists "
                        + "and symlinks leaving the plugin; refuses files over 64 MiB.",
                "Records what it packed in DIR/.cxpm/last-release.json (for cxpm version's check)."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm pack",
                "      Pack the plugin in the current directory into NAME-VERSION.tgz.",
                "  cxpm pack ./demo -o dist/demo.tgz",
                "      Pack the plugin in ./demo into dist/demo.tgz.",
                "  cxpm pack --dry-run",
                "      List what would be packed and left out, writing nothing."})
public final class PackCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Plugin directory (default: current).")
    String dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Archive to write (default: <name>-<version>.tgz in the current directory).")
    String output;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--dry-run", description = "List what would be packed and left out; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        Env env = root.env;
        Path pluginDir = env.resolve(dir == null ? "." : dir);
        if (!Files.isDirectory(pluginDir)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no plugin directory at " + pluginDir);
        }
        PluginDirectory.requireManifest(pluginDir, "pack");
        // Strict validation first: what pack makes is what gets shared, so cxpm's own rules are errors here.
        List<Problem> problems = new PluginValidator(true).validate(pluginDir);
        if (problems.stream().anyMatch(Problem::isError)) {
            printRefusal(env, pluginDir, problems);
            return ExitCodes.INVALID;
        }
        Plugin plugin = Plugin.load(pluginDir);
        NameAndVersion nv = nameAndVersion(plugin);
        Path out = output != null ? env.resolve(output) : env.cwd().resolve(nv.name() + "-" + nv.version() + ".tgz");
        Packer packer = new Packer();
        Packer.Listing listing;
        Packer.Result r = null;
        Optional<LastRelease> previous = LastRelease.read(plugin.root());
        Surface surface;
        if (dryRun) {
            listing = packer.list(pluginDir);
            surface = Surface.of(plugin, Packer.contentDigest(listing));
        } else {
            r = packer.pack(pluginDir, out);
            listing = r.listing();
            surface = Surface.of(plugin, r.contentDigest());
            try {
                LastRelease.packed(r.file().toString(), r.integrity(), surface).write(plugin.root());
            } catch (IOException e) {
                // The archive is made; only version's under-bump check loses its reference point.
                Terminal.of(env).warning("could not record the pack in " + LastRelease.fileOf(plugin.root()) + ": " + e.getMessage());
            }
        }
        String semver = semverWarning(previous, surface, nv.version());
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode o = om.createObjectNode();
            o.put("name", nv.name());
            if (semver != null) {
                o.put("semverWarning", semver);
            }
            o.put("version", nv.version());
            o.put("packed", r != null);
            o.put("dryRun", dryRun);
            o.put("file", out.toString());
            if (r != null) {
                o.put("size", r.size());
                o.put("integrity", r.integrity().toString());
                o.put("contentIntegrity", r.contentIntegrity().toString());
            }
            o.put("unpackedSize", listing.totalBytes());
            ArrayNode files = o.putArray("files");
            listing.entries().forEach(e -> files.addObject().put("path", e.path()).put("size", e.size())
                    .put("mode", e.executable() ? "0755" : "0644"));
            ArrayNode excluded = o.putArray("excluded");
            listing.excluded().forEach(e -> excluded.addObject().put("path", e.path()).put("reason", e.reason()));
            problemsJson(o, problems);
            env.out().println(om.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return ExitCodes.OK;
        }
        problems.forEach(p -> env.err().println(describe(env, p)));
        if (semver != null) {
            Terminal.of(env).warning(semver);
        }
        if (r == null) {
            env.out().println("would pack " + nv.name() + "@" + nv.version() + " -> " + displayPath(env, out));
            listing.entries().forEach(e -> env.out().println("  " + (e.executable() ? "0755 " : "0644 ") + e.path()
                    + " (" + Sizes.human(e.size()) + ")"));
        } else {
            env.out().println("packed " + nv.name() + "@" + nv.version() + " -> " + displayPath(env, r.file()));
        }
        env.out().println("  files:     " + listing.entries().size() + " (" + Sizes.human(listing.totalBytes()) + " unpacked)");
        if (r != null) {
            env.out().println("  size:      " + r.size() + " bytes (" + Sizes.human(r.size()) + ")");
            env.out().println("  integrity: " + r.integrity());
        }
        for (var e : listing.excluded()) {
            env.out().println("  left out:  " + e.path() + " (" + e.reason() + ")");
        }
        return ExitCodes.OK;
    }

    private void printRefusal(Env env, Path pluginDir, List<Problem> problems) throws IOException {
        long errors = problems.stream().filter(Problem::isError).count();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode o = om.createObjectNode();
            o.put("packed", false);
            o.put("path", pluginDir.toString());
            problemsJson(o, problems);
            env.out().println(om.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return;
        }
        problems.forEach(p -> env.err().println(describe(env, p)));
        Terminal.of(env).error("not packed: " + errors + " error" + (errors == 1 ? "" : "s")
                + " under strict validation (see above; 'cxpm validate --strict' shows the same)");
    }

    static void problemsJson(ObjectNode o, List<Problem> problems) {
        ArrayNode list = o.putArray("problems");
        for (Problem p : problems) {
            list.addObject().put("severity", p.severity().name().toLowerCase(Locale.ROOT)).put("code", p.code())
                    .put("file", p.file() == null ? null : p.file().toString()).put("line", p.line())
                    .put("message", p.message()).put("hint", p.hint());
            if (p.column() > 0) {
                ((ObjectNode) list.get(list.size() - 1)).put("column", p.column());
            }
        }
    }

    static String describe(Env env, Problem p) {
        String where = p.file() == null ? "" : p.where(displayPath(env, p.file())) + ": ";
        return where + p.severity().name().toLowerCase(Locale.ROOT) + " [" + p.code() + "] " + p.message()
                + (p.hint() == null ? "" : "\n  hint: " + p.hint());
    }

    private static String displayPath(Env env, Path file) {
        return file.equals(env.cwd()) ? "." : file.startsWith(env.cwd()) ? env.cwd().relativize(file).toString() : file.toString();
    }

    /**
     * Pack only warns when the version is too small for the surface changes since the last pack or publish
     * ({@link SemverCheck}): 'cxpm version' and the registry are the ones that refuse.
     */
    private static String semverWarning(Optional<LastRelease> previous, Surface now, String version) {
        if (previous.isEmpty() || previous.get().surface().version() == null || !Semver.isValid(previous.get().surface().version())) {
            return null;
        }
        SemverCheck c = SemverCheck.of(previous.get().surface().version(), previous.get().surface(), version, now, List.of());
        return c.ok() ? null : c.refusal("use") + "; " + c.previous() + " was " + previous.get().how()
                + " (cxpm version " + c.suggested() + "; the registry refuses " + version + ")";
    }

    /** The plugin's name and SemVer version: a package without a valid version cannot be versioned. */
    private static NameAndVersion nameAndVersion(Plugin plugin) {
        String where = plugin.root().relativize(plugin.manifest().file()).toString();
        String version = plugin.version().orElseThrow(() -> new UserError(UserError.Kind.INVALID_INPUT,
                where + " has no version", "add \"version\": \"0.1.0\" to the manifest"));
        VersionBump.parse(version, where);
        return new NameAndVersion(plugin.effectiveName(), version);
    }

    record NameAndVersion(String name, String version) {
    }
}
