package dev.cxpm.core.pack;

import java.util.Optional;

/**
 * What of a plugin's source the real Codex CLI (0.171.0) never puts in the copy it installs, beyond the links it leaves
 * out, measured against the binary (CommandSkillsInteropTest): the directory {@code .codex-plugin/migrated-command-skills}
 * a plugin ships (file or directory, with or without commands: Codex drops it and writes there the skills it makes of the
 * plugin's commands), and a command that is a link (Codex leaves the link out, so it is no command and makes no skill).
 * Packing leaves both out, so that the locked content, the store's tree and what sync places are what Codex installs.
 */
public final class CodexCopy {
    /** Where Codex writes the skills it makes of a plugin's commands, '/'-separated. */
    public static final String COMMAND_SKILLS = ".codex-plugin/migrated-command-skills";

    private CodexCopy() {
    }

    /**
     * Whether path (a file of a plugin, '/'-separated) is one Codex may turn into a skill: a {@code *.md} under
     * {@code commands/}, the name not {@code .md} alone (a hidden file without extension to Codex, which makes no skill of it).
     */
    public static boolean isCommand(String path) {
        return path.startsWith("commands/") && path.endsWith(".md") && !path.endsWith("/.md");
    }

    /** Why Codex leaves the entry at path (a link, or not) out of its copy, when it is one of the two above. */
    public static Optional<String> leftOut(String path, boolean link) {
        if (path.equals(COMMAND_SKILLS)) {
            return Optional.of("Codex replaces " + COMMAND_SKILLS + " with the skills it makes of commands/");
        }
        if (link && isCommand(path)) {
            return Optional.of("a command that is a symlink: Codex leaves it out and makes no skill of it");
        }
        return Optional.empty();
    }
}
