package dev.cxpm.core.format;

/** Which of the manifest locations the real Codex CLI reads a plugin's manifest from (SPEC.md §4). */
public enum ManifestKind {
    /** {@code .codex-plugin/plugin.json} */
    CODEX(".codex-plugin/plugin.json"),
    /** {@code .claude-plugin/plugin.json}: Claude Code's manifest, which Codex also reads. */
    CLAUDE(".claude-plugin/plugin.json"),
    /** {@code .cursor-plugin/plugin.json} */
    CURSOR(".cursor-plugin/plugin.json"),
    /** {@code plugin.json} at the root, only when its {@code $schema} is an agent-plugins.org schema. */
    AGENT_PLUGINS_ROOT("plugin.json");

    private final String relativePath;

    ManifestKind(String relativePath) {
        this.relativePath = relativePath;
    }

    /** Where this manifest sits relative to the plugin root. */
    public String relativePath() {
        return relativePath;
    }
}
