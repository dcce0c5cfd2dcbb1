package dev.cxpm.core.format.parts;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One skill: {@code <skills dir>/<id>/SKILL.md} with its YAML front matter. A malformed front matter is
 * kept as {@code frontMatterError}, and a SKILL.md that could not be read at all (too large, not UTF-8, not a
 * regular file) as {@code unreadable} (Codex installs such a plugin; the validator reports it), so reading never
 * fails on it. Deviation from the first contract: the {@code frontMatterError} component was added, and with it
 * the line of the file it is at and how to fix it ({@code frontMatterLine}, {@code frontMatterFix}): a front matter
 * read as the real Codex CLI reads it ({@link FrontMatter#ofSkill}), so an error is a skill Codex does not load.
 */
public record Skill(String id, Path file, Optional<String> name, Optional<String> description,
        Optional<String> frontMatterError, Optional<String> unreadable, int frontMatterLine, String frontMatterFix) {

    /** A skill whose SKILL.md was read, or not. */
    public Skill(String id, Path file, Optional<String> name, Optional<String> description,
            Optional<String> frontMatterError, Optional<String> unreadable) {
        this(id, file, name, description, frontMatterError, unreadable, 1, "");
    }

    /** A skill whose SKILL.md was read. */
    public Skill(String id, Path file, Optional<String> name, Optional<String> description, Optional<String> frontMatterError) {
        this(id, file, name, description, frontMatterError, Optional.empty());
    }

    /** Why the real Codex CLI does not load this skill (its front matter, read as Codex reads it), or empty. */
    public Optional<String> whyCodexSkips() {
        if (frontMatterError.isPresent()) {
            return frontMatterError.map(e -> "SKILL.md line " + frontMatterLine + ": " + e);
        }
        return unreadable.isEmpty() && description.isEmpty() ? Optional.of("SKILL.md has no `description`") : Optional.empty();
    }
}
