package dev.cxpm.core.format.parts;

import java.util.Map;

/**
 * cxpm's own manifest field {@code prerequisites}: commands that must be on PATH and environment variables
 * that must be set for the plugin's MCP servers to work, each with a hint for how to get it. Codex ignores it.
 */
public record Prerequisites(Map<String, String> commands, Map<String, String> env) {
    public static Prerequisites none() {
        return new Prerequisites(Map.of(), Map.of());
    }

    public boolean isEmpty() {
        return commands.isEmpty() && env.isEmpty();
    }
}
