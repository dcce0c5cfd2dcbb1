package dev.cxpm.core.validate;

import java.nio.file.Path;
import java.util.Set;

/**
 * One thing wrong with a plugin or marketplace: a stable {@code code} (programs match on it, e.g.
 * {@code version.blank}), the file and 1-based line where known (0 otherwise), the column when it is known (a file
 * that does not parse), what is wrong and how to fix it.
 */
public record Problem(Severity severity, String code, Path file, int line, int column, String message, String hint) {

    public Problem(Severity severity, String code, Path file, int line, String message, String hint) {
        this(severity, code, file, line, 0, message, hint);
    }

    /** {@code FILE:LINE:COLUMN} as far as known, with the file as given (a caller may shorten it first). */
    public String where(String shownFile) {
        return shownFile + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "");
    }
    /**
     * What the real Codex CLI installs without a word and then cannot use (checked with codex 0.171:
     * {@code plugin add} accepts a .mcp.json that is not JSON, then starts none of its servers). Codex's verdict
     * stays "accepted", so these are warnings unless {@code --strict}, but never summed up as "valid". A skill whose
     * SKILL.md front matter Codex does not load (a byte order mark, {@code name} given twice, no description...:
     * {@code SkillFrontMatterAsCodexTest}) is left out of what Codex offers the model, the plugin installed as usual.
     */
    private static final Set<String> UNUSABLE_BY_CODEX = Set.of(
            "mcp.invalid-json", "app.invalid-json", "app.no-apps", "app.missing-id", "skill.frontmatter",
            "skill.description-missing");

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** A part of the plugin Codex would install and then silently not use. */
    public boolean unusableByCodex() {
        return UNUSABLE_BY_CODEX.contains(code);
    }
}
