package dev.cxpm.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a plugin's manifest is. Found exactly as the real Codex CLI looks: the first existing file of
 * {@link ManifestKind}'s order wins and its content is not consulted (an invalid {@code .codex-plugin}
 * manifest hides a valid {@code .claude-plugin} one), except the root {@code plugin.json}, which counts
 * only when its {@code $schema} starts with {@value #AGENT_PLUGINS_SCHEMA}.
 */
public record ManifestLocation(ManifestKind kind, Path file) {
    public static final String AGENT_PLUGINS_SCHEMA = "https://agent-plugins.org/schemas/";

    public static Optional<ManifestLocation> find(Path pluginRoot) {
        for (ManifestKind kind : ManifestKind.values()) {
            Path file = pluginRoot.resolve(kind.relativePath());
            // Codex does not read a manifest through a link ("missing plugin.json"), and never installs one
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (kind != ManifestKind.AGENT_PLUGINS_ROOT || hasAgentPluginsSchema(file)) {
                return Optional.of(new ManifestLocation(kind, file));
            }
        }
        return Optional.empty();
    }

    private static boolean hasAgentPluginsSchema(Path file) {
        if (!(JsonFile.tryRead(file) instanceof JsonFile.Parsed parsed)) {
            return false;
        }
        JsonNode schema = parsed.file().root().path("$schema");
        return schema.isTextual() && schema.asText().startsWith(AGENT_PLUGINS_SCHEMA);
    }
}
