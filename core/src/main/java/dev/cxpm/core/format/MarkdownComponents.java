package dev.cxpm.core.format;

import static dev.cxpm.core.format.OptionalFields.text;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.FrontMatter;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.core.format.parts.SlashCommand;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;

/**
 * A plugin's components written as Markdown with a YAML front matter: its skills ({@code SKILL.md}) and its slash
 * commands. Only the directories the plugin names and one level below them are listed, at most
 * {@value #MAX_SKILL_DIRS} entries each, and each file is read up to {@value #MAX_SKILL_BYTES} bytes.
 */
final class MarkdownComponents {
    static final int MAX_SKILL_DIRS = 10_000;
    static final int MAX_SKILL_BYTES = 1024 * 1024;

    private MarkdownComponents() {
    }

    /** Directories that hold skills: {@code skills/} and the manifest's {@code skills} paths, inside the root. */
    static List<Path> skillRoots(Plugin plugin) {
        Path root = plugin.root();
        Set<Path> roots = new LinkedHashSet<>();
        Path def = root.resolve("skills");
        if (Files.isDirectory(def) && PluginPaths.isInside(root, def)) {
            roots.add(def);
        }
        for (String p : plugin.pathValues("skills")) {
            PluginPaths.resolveInside(root, p).filter(Files::isDirectory).ifPresent(roots::add);
        }
        return List.copyOf(roots);
    }

    /** Every skill: a directory with a {@code SKILL.md}, either a skills root itself or one level below it. */
    static List<Skill> skills(Plugin plugin) {
        Path root = plugin.root();
        Map<Path, Skill> found = new LinkedHashMap<>();
        for (Path dir : plugin.skillRoots()) {
            Path direct = dir.resolve("SKILL.md");
            if (Files.isRegularFile(direct)) {
                found.putIfAbsent(direct.normalize(), readSkill(dir));
                continue;
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                int seen = 0;
                List<Path> sorted = new ArrayList<>();
                for (Path child : children) {
                    if (++seen > MAX_SKILL_DIRS) {
                        break;
                    }
                    sorted.add(child);
                }
                Collections.sort(sorted);
                for (Path child : sorted) {
                    Path md = child.resolve("SKILL.md");
                    if (Files.isRegularFile(md) && PluginPaths.isInside(root, md)) {
                        found.putIfAbsent(md.normalize(), readSkill(child));
                    }
                }
            } catch (IOException e) {
                // an unreadable skills directory offers no skills; the validator reports unreadable paths
            }
        }
        return List.copyOf(found.values());
    }

    private static Skill readSkill(Path dir) {
        Path file = dir.resolve("SKILL.md");
        String id = dir.getFileName().toString();
        String text;
        try {
            text = JsonFile.readText(file, MAX_SKILL_BYTES);
        } catch (UserError e) {
            return new Skill(id, file, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(e.getMessage()));
        }
        FrontMatter fm = FrontMatter.ofSkill(text);
        if (fm.error().isPresent()) {
            return new Skill(id, file, Optional.empty(), Optional.empty(), fm.error(), Optional.empty(), fm.errorLine(), fm.fix());
        }
        return new Skill(id, file, text(fm.yaml().path("name")), text(fm.yaml().path("description")), Optional.empty());
    }

    /**
     * The slash commands, by name (sorted): Markdown files in {@code commands/} and one level of subdirectories,
     * and those the manifest's {@code commands} names (a {@code ./path} to a file or directory, an array of them,
     * or an object of name to {@code {"source": "./path"}}).
     */
    static Map<String, SlashCommand> commands(Plugin plugin) {
        Path root = plugin.root();
        Map<String, SlashCommand> out = new TreeMap<>();
        Path def = root.resolve("commands");
        if (Files.isDirectory(def) && PluginPaths.isInside(root, def)) {
            commandsIn(root, def, "", 1, out);
        }
        JsonNode declared = plugin.field("commands");
        if (declared.isObject()) {
            declared.properties().forEach(e -> {
                JsonNode source = e.getValue().isTextual() ? e.getValue() : e.getValue().path("source");
                if (source.isTextual()) {
                    PluginPaths.resolveInside(root, source.asText()).filter(Files::isRegularFile)
                            .ifPresent(f -> out.putIfAbsent(e.getKey(), readCommand(e.getKey(), f)));
                }
            });
        }
        for (String p : plugin.pathValues("commands")) {
            PluginPaths.resolveInside(root, p).ifPresent(f -> {
                if (Files.isDirectory(f)) {
                    commandsIn(root, f, "", 1, out);
                } else if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".md")) {
                    String name = f.getFileName().toString().replaceFirst("\\.md$", "");
                    out.putIfAbsent(name, readCommand(name, f));
                }
            });
        }
        return Collections.unmodifiableMap(out);
    }

    private static void commandsIn(Path root, Path dir, String prefix, int depth, Map<String, SlashCommand> out) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            int seen = 0;
            for (Path c : children) {
                if (++seen > MAX_SKILL_DIRS) {
                    break;
                }
                String n = c.getFileName().toString();
                if (!PluginPaths.isInside(root, c)) {
                    continue;
                }
                if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS) && depth > 0) {
                    commandsIn(root, c, prefix + n + ":", depth - 1, out);
                } else if (n.endsWith(".md") && Files.isRegularFile(c)) {
                    String name = prefix + n.substring(0, n.length() - 3);
                    out.putIfAbsent(name, readCommand(name, c));
                }
            }
        } catch (IOException e) {
            // an unreadable commands directory offers no commands
        }
    }

    private static SlashCommand readCommand(String name, Path file) {
        try {
            String text = JsonFile.readText(file, MAX_SKILL_BYTES);
            FrontMatter fm = FrontMatter.parse(text);
            return new SlashCommand(name, file, fm.error().isPresent() ? Optional.empty() : text(fm.yaml().path("description")));
        } catch (UserError e) {
            return new SlashCommand(name, file, Optional.empty());
        }
    }
}
