package dev.cxpm.core.init;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code cxpm init} did: the plugin it wrote and, when adopting, what it took from the source,
 * what it left there, the prerequisites it drafted and the secrets it refused to copy. Paths in the
 * lists are relative, with {@code /} separators, so the report reads the same on every machine.
 *
 * @param created files written into the plugin
 * @param kept files that already existed in the plugin directory and were left as they were
 * @param taken what adoption copied, from a source path to a plugin path
 * @param left entries of the source that are not part of the plugin (directories end with {@code /})
 */
public record InitReport(Path root, String name, Optional<Path> from, List<String> created, List<String> kept,
        List<Taken> taken, List<String> left, Map<String, String> prerequisiteCommands,
        Map<String, String> prerequisiteEnv, List<ScrubbedSecret> scrubbed, List<String> notes) {

    /** One adopted component: {@code what} is "skill", "mcp" or "apps"; {@code note} says what changed. */
    public record Taken(String what, String from, String to, Optional<String> note) {
    }

    /** A literal secret found in {@code file}'s MCP server {@code server}, replaced by {@code ${variable}}. */
    public record ScrubbedSecret(String file, String server, String variable) {
    }
}
