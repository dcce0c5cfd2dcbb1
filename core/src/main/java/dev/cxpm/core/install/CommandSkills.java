package dev.cxpm.core.install;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.FrontMatter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The skills the real Codex CLI (0.171.0) writes into a plugin it installs, one per Claude Code command it can turn into
 * one: {@code commands/NAME.md} becomes {@code .codex-plugin/migrated-command-skills/source-command-NAME/SKILL.md} in the
 * installed copy (not in the source), which Codex loads as the skill {@code PLUGIN:source-command-NAME}. A plugin cxpm
 * installs must hold them too, or Codex offers fewer skills than when it installed the plugin itself.
 *
 * <p>Codex's rule, measured against the binary (CommandSkillsInteropTest holds cxpm to it): every {@code *.md} under
 * {@code commands/} (any depth, hidden names too) that opens with a {@code ---} line, has YAML front matter closed by a
 * {@code ---} line with a non-blank scalar {@code description} (not a link: Codex copies none), and whose body (after the front matter, trimmed) uses no
 * argument or expansion Codex cannot honour ({@code $ARGUMENTS}, {@code $0}-{@code $9}, {@code {{}, {@code !`},
 * {@code ! `}, or an {@code @file} reference: an {@code @} at a line's start or after a blank, followed by a non-blank).
 * The skill's text must come to at most 4,000 bytes. The skill's name is {@code source-command-} and the command's path (without {@code .md}) in lower-case ASCII letters and
 * digits, every other run of characters one {@code -} (trimmed); two commands that come to the same name are both left out.
 */
public final class CommandSkills {
    /** Where in an installed plugin the skills go, '/'-separated. */
    public static final String DIR = ".codex-plugin/migrated-command-skills";
    private static final String PREFIX = "source-command";

    /** The rule's patterns, compiled only when a command is read: sync places plugins without commands through this class. */
    private static final class Patterns {
        static final Pattern UNSUPPORTED = Pattern.compile("\\$ARGUMENTS|\\$[0-9]|\\{\\{|!`|! `|(?:^|\\s)@\\S");
        static final Pattern NOT_NAME = Pattern.compile("[^a-z0-9]+");
    }

    /** The largest SKILL.md Codex writes (bytes): a command whose skill would be longer makes none. */
    private static final int MAX_SKILL = 4000;
    /** A command file larger than this is not read: its skill could only be over MAX_SKILL. */
    private static final long MAX_COMMAND = 1 << 20;

    private CommandSkills() {
    }

    /** The SKILL.md files Codex would add to this listing's plugin: path under the installed plugin to its text, sorted. */
    public static Map<String, String> of(PluginTree.Listing listing) {
        List<String> commands = new ArrayList<>();
        for (PluginTree.Entry e : listing.entries()) {
            // a command that is a link is installed as its file by cxpm (PluginTree), but Codex leaves links out of its copy
            if (!e.directory() && isCommand(e.path()) && e.source().equals(listing.root().resolve(e.path()))) {
                commands.add(e.path());
            }
        }
        return of(listing.root(), commands);
    }

    /**
     * The SKILL.md files Codex would add to the plugin at root, of these of its regular files ('/'-separated paths under
     * root; only the {@link #isCommand commands} among them are read): path under the installed plugin to its text, sorted.
     */
    public static Map<String, String> of(Path root, Collection<String> files) {
        Map<String, String> byName = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String path : files) {
            if (!isCommand(path)) {
                continue;
            }
            String command = path.substring("commands/".length(), path.length() - ".md".length()).replace('/', '-');
            String skill = skill(root.resolve(path), command);
            if (skill == null) {
                continue;
            }
            String slug = Patterns.NOT_NAME.matcher(command.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("^-+|-+$", "");
            String name = slug.isEmpty() ? PREFIX : PREFIX + "-" + slug;
            String text = skill.replace("\0NAME\0", name);
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_SKILL) {
                continue;
            }
            seen.merge(name, 1, Integer::sum);
            byName.put(name, text);
        }
        Map<String, String> out = new TreeMap<>();
        byName.forEach((name, text) -> {
            if (seen.get(name) == 1) {
                out.put(DIR + "/" + name + "/SKILL.md", text);
            }
        });
        return out;
    }

    /** Whether path (a file of a plugin, '/'-separated) is one Codex may turn into a skill: a {@code *.md} under {@code commands/}. */
    public static boolean isCommand(String path) {
        return path.startsWith("commands/") && path.endsWith(".md");
    }

    /** Writes the skills into an installed (or staged) plugin directory. */
    public static void write(Path pluginDir, Map<String, String> skills) {
        try {
            for (var s : skills.entrySet()) {
                Path file = pluginDir.resolve(s.getKey());
                Files.createDirectories(file.getParent());
                // a new file, never one written through: sync's placed copy is hard links into the store, and a plugin
                // may ship a file where a skill goes (only that name in the copy is removed, not the store's file)
                Files.deleteIfExists(file);
                Files.writeString(file, s.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write the command skills of " + pluginDir + ": " + e.getMessage(), null, e);
        }
    }

    /** Whether path (an entry of an installed plugin, '/'-separated) is one of the skills Codex writes, or their directory. */
    public static boolean generated(String path) {
        return path.equals(DIR) || path.startsWith(DIR + "/");
    }

    /** The skill's text (its name left as a marker), or null when Codex does not turn this command into a skill. */
    private static String skill(Path file, String command) {
        String text;
        try {
            if (Files.size(file) > MAX_COMMAND) {
                return null;
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
        if (!(text.startsWith("---\n") || text.startsWith("---\r\n"))) {
            return null;
        }
        FrontMatter fm = FrontMatter.parse(text);
        JsonNode description = fm.yaml().get("description");
        if (fm.error().isPresent() || description == null || !description.isValueNode() || description.isNull()
                || description.asText().strip().isEmpty()) {
            return null;
        }
        String body = afterLines(text, fm.endLine()).strip();
        if (Patterns.UNSUPPORTED.matcher(body).find()) {
            return null;
        }
        String quoted = description.asText().strip().replace("\\", "\\\\").replace("\"", "\\\"");
        return "---\nname: \"\0NAME\0\"\ndescription: \"" + quoted + "\"\n---\n\n# \0NAME\0\n\n"
                + "Use this skill when the user asks to run the migrated source command `" + command + "`.\n\n"
                + "## Command Template\n\n" + (body.isEmpty() ? "No command template body was found." : body) + "\n";
    }

    /** text after its first n lines. */
    private static String afterLines(String text, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            int nl = text.indexOf('\n', at);
            if (nl < 0) {
                return "";
            }
            at = nl + 1;
        }
        return text.substring(at);
    }

    /** The listing without the skills Codex wrote into an installed plugin (nor .codex-plugin/, when made only for them). */
    static PluginTree.Listing withoutGenerated(PluginTree.Listing installed) {
        List<PluginTree.Entry> kept = installed.entries().stream().filter(e -> !generated(e.path())).toList();
        if (kept.stream().noneMatch(e -> e.path().startsWith(".codex-plugin/"))) {
            kept = kept.stream().filter(e -> !e.path().equals(".codex-plugin")).toList();
        }
        return new PluginTree.Listing(installed.root(), kept, installed.dropped());
    }

    /** Whether the installed plugin holds exactly these skills where Codex writes them. */
    static boolean holds(PluginTree.Listing installed, Map<String, String> skills) {
        Map<String, String> there = new TreeMap<>();
        for (PluginTree.Entry e : installed.entries()) {
            if (!e.directory() && generated(e.path())) {
                try {
                    there.put(e.path(), Files.readString(e.source(), StandardCharsets.UTF_8));
                } catch (IOException | java.io.UncheckedIOException ex) {
                    return false;
                }
            }
        }
        return there.equals(skills);
    }
}
