package dev.cxpm.core.init;

import java.util.Map;

/**
 * How a user gets the command an MCP server runs, for the drafted {@code prerequisites.commands}:
 * the launchers MCP servers are usually started with, mapped to the runtime that provides them.
 */
final class CommandHints {
    private static final String NODE = "Node.js 18+ from https://nodejs.org";
    private static final String UV = "uv (provides uvx) from https://docs.astral.sh/uv/";
    private static final String PYTHON = "Python 3 from https://www.python.org/downloads/";
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("npx", NODE), Map.entry("node", NODE), Map.entry("npm", NODE),
            Map.entry("pnpm", "pnpm from https://pnpm.io/installation (needs Node.js)"),
            Map.entry("yarn", "Yarn from https://yarnpkg.com (needs Node.js)"),
            Map.entry("bun", "Bun from https://bun.sh"), Map.entry("bunx", "Bun from https://bun.sh"),
            Map.entry("deno", "Deno from https://deno.com"),
            Map.entry("uvx", UV), Map.entry("uv", UV),
            Map.entry("python", PYTHON), Map.entry("python3", PYTHON), Map.entry("pip", PYTHON),
            Map.entry("pipx", "pipx from https://pipx.pypa.io"),
            Map.entry("docker", "Docker from https://docs.docker.com/get-docker/"),
            Map.entry("podman", "Podman from https://podman.io"),
            Map.entry("go", "Go from https://go.dev/dl/"),
            Map.entry("java", "a JDK 21+ (e.g. https://adoptium.net)"),
            Map.entry("cargo", "Rust from https://rustup.rs"),
            Map.entry("ruby", "Ruby from https://www.ruby-lang.org"),
            Map.entry("dotnet", ".NET from https://dotnet.microsoft.com/download"));

    private CommandHints() {
    }

    static String hintFor(String command) {
        return HINTS.getOrDefault(command, "the `" + command + "` command on PATH");
    }
}
