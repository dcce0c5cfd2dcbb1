package dev.cxpm.core.install;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.FrontMatter;
import dev.cxpm.core.pack.CodexCopy;
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
import java.util.Optional;
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
 * digits, every other run of characters one {@code -} (trimmed), at most 64 characters (a longer one makes no skill); two
 * commands that come to the same name are both left out. A command's size does not decide (Codex makes a skill of one of
 * megabytes of blank lines or front matter), so commands are read as streams, in bounded memory. Codex drops a
 * {@code .codex-plugin/migrated-command-skills} the plugin ships ({@link CodexCopy}): only the skills made here are there.
 */
public final class CommandSkills {
    /** Where in an installed plugin the skills go, '/'-separated. */
    public static final String DIR = CodexCopy.COMMAND_SKILLS;
    private static final String PREFIX = "source-command";

    /** The rule's patterns, compiled only when a command is read: sync places plugins without commands through this class. */
    private static final class Patterns {
        static final Pattern UNSUPPORTED = Pattern.compile("\\$ARGUMENTS|\\$[0-9]|\\{\\{|!`|! `|(?:^|\\s)@\\S");
        static final Pattern NOT_NAME = Pattern.compile("[^a-z0-9]+");
    }

    /** The largest SKILL.md Codex writes (bytes): a command whose skill would be longer makes none. */
    private static final int MAX_SKILL = 4000;
    /** The longest front matter (characters) read: a command's description fits in a skill, and Codex's YAML reader takes a few MB. */
    private static final int MAX_FRONT_MATTER = 4 << 20;
    /** The longest skill name Codex writes (ASCII characters): a command whose name would be longer makes none. */
    private static final int MAX_NAME = 64;

    private CommandSkills() {
    }

    /** The SKILL.md files Codex would add to this listing's plugin: path under the installed plugin to its text, sorted. */
    public static Map<String, String> of(PluginTree.Listing listing) {
        List<String> commands = new ArrayList<>();
        for (PluginTree.Entry e : listing.entries()) {
            // a command that is a link is no command of Codex's copy (codexCopy leaves it out of what install copies)
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
            if (name.length() > MAX_NAME) {
                continue;
            }
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
        return CodexCopy.isCommand(path);
    }

    /**
     * The listing of a plugin's source without what Codex leaves out of its copy ({@link CodexCopy}): a shipped
     * {@link #DIR} (whatever it holds) and commands that are links, each named in the listing's dropped entries.
     */
    public static PluginTree.Listing codexCopy(PluginTree.Listing source) {
        List<PluginTree.Entry> kept = new ArrayList<>(source.entries().size());
        List<PluginTree.Dropped> dropped = new ArrayList<>(source.dropped());
        for (PluginTree.Entry e : source.entries()) {
            if (generated(e.path())) {
                if (e.path().equals(DIR)) {
                    dropped.add(new PluginTree.Dropped(e.path(), CodexCopy.leftOut(DIR, false).orElseThrow()));
                }
                continue;
            }
            boolean link = !e.directory() && !e.source().equals(source.root().resolve(e.path()));
            Optional<String> why = CodexCopy.leftOut(e.path(), link);
            if (why.isPresent()) {
                dropped.add(new PluginTree.Dropped(e.path(), why.get()));
            } else {
                kept.add(e);
            }
        }
        dropped.sort((a, b) -> a.path().compareTo(b.path()));
        return new PluginTree.Listing(source.root(), List.copyOf(kept), List.copyOf(dropped));
    }

    /** Writes the skills into an installed (or staged) plugin directory. */
    public static void write(Path pluginDir, Map<String, String> skills) {
        try {
            Path dir = pluginDir.resolve(DIR);
            for (var s : skills.entrySet()) {
                Path file = pluginDir.resolve(s.getKey());
                // made of [a-z0-9-] only (of), so always one directory below DIR: proven here, the one place skills are written
                if (!file.normalize().startsWith(dir) || dir.relativize(file.normalize()).getNameCount() != 2) {
                    throw new IllegalArgumentException("not a command skill's path: " + s.getKey());
                }
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

    /**
     * The skill's text (its name left as a marker), or null when Codex does not turn this command into a skill. Read as a
     * stream in bounded memory, whatever the file's size (Codex makes a skill of a command of megabytes of front matter or
     * of blank lines): the front matter is kept up to {@link #MAX_FRONT_MATTER} characters, and of the body only what can
     * still fit in a skill, its trailing blanks counted, not kept.
     */
    private static String skill(Path file, String command) {
        String frontMatter;
        String body;
        try (java.io.Reader in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024)) {
            frontMatter = frontMatter(in);
            if (frontMatter == null) {
                return null;
            }
            body = body(in);
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
        FrontMatter fm = FrontMatter.parse(frontMatter);
        JsonNode description = fm.yaml().get("description");
        if (body == null || fm.error().isPresent() || description == null || !description.isValueNode() || description.isNull()
                || description.asText().strip().isEmpty()) {
            return null;
        }
        if (Patterns.UNSUPPORTED.matcher(body).find()) {
            return null;
        }
        String quoted = description.asText().strip().replace("\\", "\\\\").replace("\"", "\\\"");
        return "---\nname: \"\0NAME\0\"\ndescription: \"" + quoted + "\"\n---\n\n# \0NAME\0\n\n"
                + "Use this skill when the user asks to run the migrated source command `" + command + "`.\n\n"
                + "## Command Template\n\n" + (body.isEmpty() ? "No command template body was found." : body) + "\n";
    }

    /**
     * The command's front matter, its {@code ---} lines included (the reader left just after the closing one's end of
     * line), or null when it has none Codex reads: the file does not open with a {@code ---} line, the front matter is
     * not closed, or it is longer than {@link #MAX_FRONT_MATTER}.
     */
    private static String frontMatter(java.io.Reader in) throws IOException {
        StringBuilder text = new StringBuilder();
        int lineStart = 0;
        for (int c; (c = in.read()) >= 0; ) {
            text.append((char) c);
            if (text.length() > MAX_FRONT_MATTER) {
                return null;
            }
            if (c == '\n') {
                String line = text.substring(lineStart, text.length() - 1);
                if (lineStart == 0) {
                    if (!(line.equals("---") || line.equals("---\r"))) {
                        return null;
                    }
                } else if (line.trim().equals("---")) {
                    return text.toString();
                }
                lineStart = text.length();
            } else if (lineStart == 0 && text.length() > 4) {
                return null; // the first line is not ---
            }
        }
        return lineStart > 0 && text.substring(lineStart).trim().equals("---") ? text.toString() : null;
    }

    /**
     * The rest of the command (the body), stripped of blanks at both ends as Codex trims it, or null when it is too long
     * for a skill (the rest is not read). At most MAX_SKILL characters are kept; blanks after the last non-blank
     * are counted, and kept only while they could still be inside the body.
     */
    private static String body(java.io.Reader in) throws IOException {
        StringBuilder kept = new StringBuilder();
        StringBuilder blanks = new StringBuilder(); // since the last non-blank, while they could still fit
        long blankCount = 0;
        for (int c; (c = in.read()) >= 0; ) {
            if (Character.isWhitespace(c)) {
                if (kept.length() > 0) {
                    blankCount++;
                    if (kept.length() + blankCount <= MAX_SKILL) {
                        blanks.append((char) c);
                    }
                }
                continue;
            }
            if (kept.length() + blankCount + 1 > MAX_SKILL) {
                return null; // no skill, whatever the rest holds: not read
            }
            kept.append(blanks).append((char) c);
            blanks.setLength(0);
            blankCount = 0;
        }
        return kept.toString();
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
