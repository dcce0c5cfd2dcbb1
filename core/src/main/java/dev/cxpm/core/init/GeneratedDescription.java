package dev.cxpm.core.init;

import java.util.regex.Pattern;

/**
 * Tells the description {@link PluginInit} fills in when the author gave none ("Team Tools: skills for Codex.",
 * "Team Tools: 3 skills, 1 MCP server (github)."), so a page shows what the author wrote or nothing: counts that
 * init wrote once are not kept up to date by anything.
 */
public final class GeneratedDescription {

    private static final String PART = "\\d+ (?:skills?|apps?|MCP servers?(?: \\([^)]*\\))?)";
    private static final Pattern GENERATED = Pattern.compile("[^:\\n]{1,200}: (?:skills for Codex|" + PART + "(?:, " + PART + ")*)\\.");

    private GeneratedDescription() {
    }

    public static boolean isGenerated(String description) {
        return description != null && GENERATED.matcher(description.strip()).matches();
    }

    /** The description as the author wrote it, or null when there is none or init filled it in. */
    public static String authored(String description) {
        return description == null || description.isBlank() || isGenerated(description) ? null : description.strip();
    }
}
