package dev.cxpm.core.install;

import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.parts.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Something a plugin's MCP servers need on this machine: a command on PATH or an environment variable.
 * Gathered from each MCP server (its command, the {@code ${NAME}}/{@code $NAME} references in its env)
 * and from the manifest's {@code prerequisites}, whose values are the author's hints for how to get it.
 *
 * @param servers the MCP servers that run the command or read the variable (what the plugin needs it for);
 *                empty when only the manifest declares it
 * @param hint    the author's hint (blank when none)
 */
public record Prerequisite(Kind kind, String name, List<String> servers, String hint) {

    public enum Kind { COMMAND, ENV }

    /** Everything the plugin needs, commands first, in a stable order. */
    public static List<Prerequisite> of(Plugin plugin) {
        Map<String, Set<String>> commands = new LinkedHashMap<>();
        Map<String, Set<String>> env = new LinkedHashMap<>();
        for (McpServer s : plugin.mcpServers().values()) {
            s.pathCommand().ifPresent(c -> commands.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(s.name()));
            for (String value : s.env().values()) {
                for (String name : McpServer.requiredEnv(value)) {
                    env.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(s.name());
                }
            }
        }
        Prerequisites declared = plugin.prerequisites();
        declared.commands().keySet().forEach(k -> commands.computeIfAbsent(k, x -> new LinkedHashSet<>()));
        declared.env().keySet().forEach(k -> env.computeIfAbsent(k, x -> new LinkedHashSet<>()));
        List<Prerequisite> out = new ArrayList<>();
        commands.forEach((k, v) -> out.add(new Prerequisite(Kind.COMMAND, k, List.copyOf(v), hintOf(declared.commands().get(k)))));
        env.forEach((k, v) -> out.add(new Prerequisite(Kind.ENV, k, List.copyOf(v), hintOf(declared.env().get(k)))));
        return out;
    }

    /**
     * Those not satisfied in the given environment (PATH and variables) of a caller in directory cwd, where a shell
     * there would look: relative PATH entries are found from cwd. A variable set to the empty string is missing.
     */
    public static List<Prerequisite> missing(Plugin plugin, Map<String, String> vars, Path cwd) {
        return missing(plugin, vars, command -> Executables.find(command, vars.get("PATH"), cwd).isPresent());
    }

    /** As {@link #missing(Plugin, Map, Path)}, with onPath saying whether a command is found where the caller's shell looks. */
    static List<Prerequisite> missing(Plugin plugin, Map<String, String> vars, java.util.function.Predicate<String> onPath) {
        List<Prerequisite> out = new ArrayList<>();
        for (Prerequisite p : of(plugin)) {
            boolean ok = switch (p.kind) {
                case COMMAND -> onPath.test(p.name);
                case ENV -> isSet(vars, p.name);
            };
            if (!ok) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Whether {@link #missing} would list nothing: each of what {@link #of} gathers satisfied, asked without building
     * the list (maps, sets and records per plugin: 9 ms of a fresh JVM's sync of 1,000 plugins that all had what they
     * need, docs/BENCHMARKS.md, wt-coldmain2).
     */
    static boolean allMet(Plugin plugin, Map<String, String> vars, java.util.function.Predicate<String> onPath) {
        for (McpServer s : plugin.mcpServers().values()) {
            java.util.Optional<String> command = s.pathCommand();
            if (command.isPresent() && !onPath.test(command.get())) {
                return false;
            }
            for (String value : s.env().values()) {
                for (String name : McpServer.requiredEnv(value)) {
                    if (!isSet(vars, name)) {
                        return false;
                    }
                }
            }
        }
        Prerequisites declared = plugin.prerequisites();
        for (String command : declared.commands().keySet()) {
            if (!onPath.test(command)) {
                return false;
            }
        }
        for (String name : declared.env().keySet()) {
            if (!isSet(vars, name)) {
                return false;
            }
        }
        return true;
    }

    /** A variable is set when it is there and not blank: one set to the empty string is missing. */
    private static boolean isSet(Map<String, String> vars, String name) {
        String value = vars.get(name);
        return value != null && !value.isBlank();
    }

    /** "command `npx` not found on PATH (MCP server `gh` runs it)": what is missing and what the plugin needs it for. */
    public String problem() {
        String what = kind == Kind.COMMAND ? "command `" + name + "` not found on PATH" : "environment variable " + name + " is not set";
        if (servers.isEmpty()) {
            return what;
        }
        String who = servers.size() == 1 ? "MCP server `" + servers.getFirst() + "`" : "MCP servers `" + String.join("`, `", servers) + "`";
        return what + " (" + who + (kind == Kind.COMMAND ? (servers.size() == 1 ? " runs" : " run") : (servers.size() == 1 ? " reads" : " read")) + " it)";
    }

    /** How to satisfy it: the author's hint, and for a variable the line that sets it. */
    public String fix() {
        return switch (kind) {
            case COMMAND -> hint.isBlank() ? "install `" + name + "` so that your shell finds it on PATH" : hint;
            case ENV -> (hint.isBlank() ? "" : hint + "; then ") + "export " + name + "=...";
        };
    }

    /** "command `npx` not found on PATH (MCP server `gh` runs it): Node.js 18+ from https://nodejs.org". */
    public String describe() {
        return problem() + ": " + fix();
    }

    /** The hint shown beside the name where the need itself is listed ({@code info}): the author's, else which server needs it. */
    public String note() {
        if (!hint.isBlank() || servers.isEmpty()) {
            return hint;
        }
        return "needed by MCP server" + (servers.size() == 1 ? "" : "s") + " `" + String.join("`, `", servers) + "`";
    }

    private static String hintOf(String declared) {
        return declared == null ? "" : declared.strip();
    }
}
