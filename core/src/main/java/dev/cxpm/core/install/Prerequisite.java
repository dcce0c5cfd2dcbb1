package dev.cxpm.core.install;

import dev.cxpm.core.format.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.Prerequisites;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Something a plugin's MCP servers need on this machine: a command on PATH or an environment variable.
 * Gathered from each MCP server (its command, the {@code ${NAME}}/{@code $NAME} references in its env)
 * and from the manifest's {@code prerequisites}, whose values are the hints shown when it is missing.
 */
public record Prerequisite(Kind kind, String name, String hint) {

    public enum Kind { COMMAND, ENV }


    /** Everything the plugin needs, commands first, in a stable order. */
    public static List<Prerequisite> of(Plugin plugin) {
        Prerequisites declared = plugin.prerequisites();
        Map<String, String> commands = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (McpServer s : plugin.mcpServers().values()) {
            s.pathCommand().ifPresent(c ->
                    commands.putIfAbsent(c, "needed by MCP server `" + s.name() + "`"));
            for (String value : s.env().values()) {
                for (String name : McpServer.requiredEnv(value)) {
                    env.putIfAbsent(name, "needed by MCP server `" + s.name() + "`");
                }
            }
        }
        declared.commands().forEach((k, v) -> commands.put(k, v.isBlank() ? commands.getOrDefault(k, "") : v));
        declared.env().forEach((k, v) -> env.put(k, v.isBlank() ? env.getOrDefault(k, "") : v));
        List<Prerequisite> out = new ArrayList<>();
        commands.forEach((k, v) -> out.add(new Prerequisite(Kind.COMMAND, k, v)));
        env.forEach((k, v) -> out.add(new Prerequisite(Kind.ENV, k, v)));
        return out;
    }

    /** Those not satisfied in the given environment (PATH and variables) of a caller in directory cwd. */
    public static List<Prerequisite> missing(Plugin plugin, Map<String, String> vars, java.nio.file.Path cwd) {
        List<Prerequisite> out = new ArrayList<>();
        for (Prerequisite p : of(plugin)) {
            boolean ok = switch (p.kind) {
                case COMMAND -> Executables.find(p.name, vars.get("PATH"), cwd).isPresent();
                case ENV -> vars.get(p.name) != null && !vars.get(p.name).isEmpty();
            };
            if (!ok) {
                out.add(p);
            }
        }
        return out;
    }

    /** "command `npx` not found on PATH: Node.js 18+ from https://nodejs.org". */
    public String describe() {
        String what = kind == Kind.COMMAND ? "command `" + name + "` not found on PATH" : "environment variable " + name + " is not set";
        return hint.isBlank() ? what : what + ": " + hint;
    }
}
