package dev.cxpm.core.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code cxpm init}: writes a new plugin, either a scaffold (manifest, an example skill, a README)
 * or one adopted from a project's scattered {@code .mcp.json}, {@code .app.json} and {@code skills/}.
 *
 * <p>Source JSON is read with the format model ({@link JsonFile}). Everything is read and checked before the first write, files are written atomically and the
 * manifest last, so a failure leaves no half-made plugin that {@code init} would then refuse. The
 * source of an adoption is only read: a file that would land on an existing, different file is a
 * conflict, never an overwrite. {@link Adoption} reads the source; {@link InitPlan} checks the files against
 * what is there and writes them.
 */
public final class PluginInit {
    static final String MANIFEST = ".codex-plugin/plugin.json";
    /** Limits on an adopted skills/ tree, so a pathological source fails clearly instead of filling memory. */
    static final int MAX_FILES = 10_000;
    static final long MAX_BYTES = 64L * 1024 * 1024;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    /** What the user chose: {@code --name} and {@code --description}, both optional. */
    public record Options(Optional<String> name, Optional<String> description) {
        public static Options none() {
            return new Options(Optional.empty(), Optional.empty());
        }
    }

    private PluginInit() {
    }

    /** Scaffolds a new plugin in {@code target} (created when missing); existing files other than a manifest are kept. */
    public static InitReport scaffold(Path target, Options options) {
        Path root = prepareTarget(target);
        PluginName name = nameFor(root, options);
        String description = options.description().orElse(name.displayName() + ": skills for Codex.");
        InitPlan plan = new InitPlan(root, true);
        if (!hasSkills(root.resolve("skills"))) {
            plan.add("skills/example/SKILL.md", exampleSkill());
        }
        plan.add("README.md", scaffoldReadme(name, description));
        ObjectNode manifest = manifest(name, description, true, false, false, List.of("Skills"));
        plan.writeAll(MANIFEST, manifestBytes(manifest));
        return new InitReport(root, name.value(), Optional.empty(), plan.created, plan.kept, List.of(), List.of(),
                Map.of(), Map.of(), List.of(), List.of());
    }

    /**
     * Adopts {@code source}'s {@code .mcp.json}, {@code .app.json} and {@code skills/} into a new plugin at
     * {@code target} (which may be the source itself, when nothing there would change).
     */
    public static InitReport adopt(Path source, Path target, Options options) {
        if (!Files.isDirectory(source)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "--from " + source + ": no such directory",
                    "give the directory that holds the project's .mcp.json, .app.json or skills/");
        }
        Path src = realPath(source);
        Path root = prepareTarget(target);
        Adoption a = new Adoption(src, root);
        a.scan();
        if (a.taken.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "nothing to adopt in " + src + ": no .mcp.json, .app.json or skills/ (with SKILL.md or .md files) found",
                    "run 'cxpm init " + root + "' without --from to scaffold a new plugin");
        }
        PluginName name = nameFor(root, options);
        String description = options.description().orElseGet(() -> a.describe(name));
        List<String> capabilities = new ArrayList<>();
        if (a.skillCount > 0) {
            capabilities.add("Skills");
        }
        if (a.mcpServers.size() > 0) {
            capabilities.add("MCP");
        }
        if (a.appCount > 0) {
            capabilities.add("Apps");
        }
        ObjectNode manifest = manifest(name, description, a.skillCount > 0, a.mcpBytes != null,
                a.appBytes != null, capabilities);
        if (!a.commands.isEmpty() || !a.env.isEmpty()) {
            ObjectNode prerequisites = manifest.putObject("prerequisites");
            if (!a.commands.isEmpty()) {
                ObjectNode commands = prerequisites.putObject("commands");
                a.commands.forEach(commands::put);
            }
            if (!a.env.isEmpty()) {
                ObjectNode env = prerequisites.putObject("env");
                a.env.forEach(env::put);
            }
        }
        InitPlan plan = new InitPlan(root, false);
        a.files.forEach(plan::add);
        plan.addKeepingExisting("README.md", adoptedReadme(name, description, a));
        plan.writeAll(MANIFEST, manifestBytes(manifest));
        return new InitReport(root, name.value(), Optional.of(src), plan.created, plan.kept, a.taken, a.left,
                a.commands, a.env, a.scrubbed, a.notes);
    }

    // ---- target and name ----

    private static Path prepareTarget(Path target) {
        Path root = target.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new UserError(UserError.Kind.USAGE, root + " is a file, not a directory",
                    "give a directory for the plugin (it is created when missing)");
        }
        if (Files.isDirectory(root)) {
            root = realPath(root);
            Optional<Path> existing = ManifestLocation.find(root).map(ManifestLocation::file);
            if (existing.isEmpty() && Files.exists(root.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                existing = Optional.of(root.resolve(MANIFEST)); // not a regular file, but still in the way
            }
            if (existing.isPresent()) {
                String rel = slashes(root.relativize(existing.get()));
                throw new UserError(UserError.Kind.CONFLICT,
                        root + " is already a plugin: " + rel + " exists; init does not overwrite it",
                        "edit " + existing.get() + " by hand and check it with 'cxpm validate "
                                + root + "', or run init in a new directory");
            }
        }
        return root;
    }

    private static PluginName nameFor(Path root, Options options) {
        if (options.name().isPresent()) {
            return PluginName.parse(options.name().get());
        }
        Path dirName = root.getFileName();
        return PluginName.fromDirectoryName(dirName == null ? "" : dirName.toString());
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + p + ": " + e.getMessage(), null, e);
        }
    }

    private static boolean hasSkills(Path skillsDir) {
        if (!Files.isDirectory(skillsDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(skillsDir)) {
            return entries.anyMatch(d -> Files.isRegularFile(d.resolve("SKILL.md")));
        } catch (IOException e) {
            return false;
        }
    }

    // ---- what gets written ----

    private static ObjectNode manifest(PluginName name, String description, boolean skills, boolean mcp, boolean apps,
            List<String> capabilities) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name.value());
        m.put("version", "0.1.0");
        m.put("description", description);
        if (skills) {
            m.put("skills", "./skills/");
        }
        if (mcp) {
            m.put("mcpServers", "./.mcp.json");
        }
        if (apps) {
            m.put("apps", "./.app.json");
        }
        ObjectNode ui = m.putObject("interface");
        ui.put("displayName", name.displayName());
        ui.put("shortDescription", description);
        ui.put("category", "Productivity");
        ArrayNode caps = ui.putArray("capabilities");
        capabilities.forEach(caps::add);
        return m;
    }

    static byte[] manifestBytes(JsonNode node) {
        try {
            return (PRETTY.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] exampleSkill() {
        return """
                ---
                name: example
                description: An example skill. Say when Codex should use it, in one sentence.
                ---
                # Example

                Replace this with the instructions Codex should follow when this skill applies:
                the steps, the conventions to respect and what a good result looks like.
                """.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] scaffoldReadme(PluginName name, String description) {
        return ("# " + name.displayName() + "\n\n" + description + "\n\n"
                + "A Codex plugin: skills live in `skills/<name>/SKILL.md`; add MCP servers in `.mcp.json`\n"
                + "and apps in `.app.json`, then point to them from `.codex-plugin/plugin.json`.\n\n"
                + "## Develop\n\n```bash\ncxpm validate .     # what the real Codex CLI would reject, and cxpm's stricter checks\n"
                + "cxpm pack           # a reproducible .tgz with its sha512 integrity\n```\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] adoptedReadme(PluginName name, String description, Adoption a) {
        StringBuilder r = new StringBuilder("# ").append(name.displayName()).append("\n\n").append(description).append("\n");
        if (!a.skillIds.isEmpty()) {
            r.append("\n## Skills\n\n");
            a.skillIds.forEach(s -> r.append("- `").append(s).append("`\n"));
        }
        if (!a.mcpServers.isEmpty()) {
            r.append("\n## MCP servers\n\n");
            a.mcpServers.forEach(s -> r.append("- `").append(s).append("`\n"));
        }
        if (!a.commands.isEmpty() || !a.env.isEmpty()) {
            r.append("\n## Prerequisites\n\n");
            a.commands.forEach((c, hint) -> r.append("- command `").append(c).append("`: ").append(hint).append("\n"));
            a.env.forEach((v, hint) -> r.append("- environment variable `").append(v).append("`: ").append(hint).append("\n"));
        }
        r.append("\n## Develop\n\n```bash\ncxpm validate --strict .\ncxpm pack\n```\n");
        return r.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] readBytes(Path file) {
        try {
            return FileText.bytes(file, MAX_BYTES, LinkOption.NOFOLLOW_LINKS); // looked at through no link: a regular file
        } catch (FileText.TooLarge e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " is larger than the " + MAX_BYTES / (1024 * 1024)
                    + " MB cxpm adopts", "move what is not part of a skill out of skills/, then run init again");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    static String slashes(Path rel) {
        return rel.toString().replace('\\', '/');
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
