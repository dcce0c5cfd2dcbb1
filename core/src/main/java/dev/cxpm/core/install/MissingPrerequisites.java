package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one prerequisite rule of {@code install}, {@code add}, {@code sync} and {@code enable}: before a plugin is
 * installed enabled or enabled, what its MCP servers need on this machine (commands on PATH, environment
 * variables) is checked for every such plugin at once, and anything missing refuses the command, every missing
 * one named with what it is for and how to get it, before anything is written. {@code --ignore-prerequisites}
 * (the same flag on all four) turns the refusal into a warning: the plugin is installed, its MCP servers fail
 * until the user provides what they need.
 *
 * @param byPlugin plugin id ({@code name@marketplace}) to what it lacks, in the order the plugins were checked;
 *                 only plugins that lack something
 */
public record MissingPrerequisites(Map<String, List<Prerequisite>> byPlugin) {

    /** The flag that turns the refusal into a warning, on every command that applies the rule. */
    public static final String OVERRIDE = "--ignore-prerequisites";

    public MissingPrerequisites {
        byPlugin = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byPlugin));
    }

    public static MissingPrerequisites none() {
        return new MissingPrerequisites(Map.of());
    }

    /** Checks each plugin (id to its loaded manifest) against the caller's environment and directory. */
    public static MissingPrerequisites check(Map<String, Plugin> plugins, Map<String, String> vars, Path cwd) {
        Map<String, List<Prerequisite>> out = new LinkedHashMap<>();
        // one PATH search per command, not one per plugin that runs it (a team's plugins mostly run the same npx or uvx:
        // each search costs a stat per PATH entry)
        Map<String, Boolean> onPath = new java.util.HashMap<>();
        java.util.function.Predicate<String> found = command -> onPath.computeIfAbsent(command,
                c -> Executables.find(c, vars.get("PATH"), cwd).isPresent());
        for (Map.Entry<String, Plugin> e : plugins.entrySet()) {
            if (Prerequisite.allMet(e.getValue(), vars, found)) {
                continue; // nothing missing: Prerequisite.missing would list none
            }
            List<Prerequisite> missing = Prerequisite.missing(e.getValue(), vars, found);
            if (!missing.isEmpty()) {
                out.put(e.getKey(), missing);
            }
        }
        return new MissingPrerequisites(out);
    }

    public static MissingPrerequisites check(String id, Plugin plugin, Map<String, String> vars, Path cwd) {
        return check(Map.of(id, plugin), vars, cwd);
    }

    public boolean isEmpty() {
        return byPlugin.isEmpty();
    }

    /** Refuses (throws the refusal) unless ignored; returns this, the warnings to print when ignored. */
    public MissingPrerequisites enforce(boolean ignore) {
        if (!isEmpty() && !ignore) {
            throw refusal();
        }
        return this;
    }

    /** What every one of the four commands says, word for word, when it refuses. */
    public UserError refusal() {
        boolean commands = byPlugin.values().stream().flatMap(List::stream).anyMatch(p -> p.kind() == Prerequisite.Kind.COMMAND);
        boolean variables = byPlugin.values().stream().flatMap(List::stream).anyMatch(p -> p.kind() == Prerequisite.Kind.ENV);
        String what = commands && variables ? "install the commands and set the variables" : commands ? "install the commands" : "set the variables";
        return new UserError(UserError.Kind.INVALID_INPUT, message(),
                what + ", then run the command again; or pass " + OVERRIDE + " to go on anyway (the plugin's MCP servers fail until they are there)");
    }

    /** "gh@fx needs what this machine lacks:" and one line per missing command or variable, for each plugin. */
    public String message() {
        List<String> blocks = new ArrayList<>();
        byPlugin.forEach((id, missing) -> {
            StringBuilder b = new StringBuilder(id + " needs what this machine lacks:");
            missing.forEach(p -> b.append("\n  - ").append(p.describe()));
            blocks.add(b.toString());
        });
        return String.join("\n", blocks);
    }

    /** One line per missing prerequisite, "gh@fx: command `npx` not found on PATH ...: hint", for {@code --json}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        byPlugin.forEach((id, missing) -> missing.forEach(p -> out.add(id + ": " + p.describe())));
        return out;
    }
}
