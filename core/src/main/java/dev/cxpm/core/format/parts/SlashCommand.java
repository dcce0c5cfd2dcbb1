package dev.cxpm.core.format.parts;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A slash command a plugin ships: a Markdown file under {@code commands/} (or a path the manifest's
 * {@code commands} names), invoked as {@code /name}; one in a subdirectory is {@code dir:name}. The
 * description comes from its YAML front matter when it has one.
 */
public record SlashCommand(String name, Path file, Optional<String> description) {
}
