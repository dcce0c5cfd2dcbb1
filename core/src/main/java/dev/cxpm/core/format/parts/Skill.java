package dev.cxpm.core.format.parts;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One skill: {@code <skills dir>/<id>/SKILL.md} with its YAML front matter. A malformed front matter is
 * kept as {@code frontMatterError} (Codex installs such a plugin; the validator reports it), so reading never
 * fails on it. Deviation from the first contract: the {@code frontMatterError} component was added.
 */
public record Skill(String id, Path file, Optional<String> name, Optional<String> description,
        Optional<String> frontMatterError) {
}
