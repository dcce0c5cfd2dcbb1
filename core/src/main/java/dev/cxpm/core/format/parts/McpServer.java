package dev.cxpm.core.format.parts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An MCP server a plugin ships: a local command (with args and env) or a remote url. */
public record McpServer(String name, Optional<String> command, List<String> args, Map<String, String> env,
        Optional<String> url) {

    /**
     * The environment variables an env value requires: {@code ${NAME}} or {@code $NAME}. A reference
     * with a fallback ({@code ${NAME:-x}}, {@code ${NAME-x}}) is not required. The one rule that
     * {@code validate --strict} (undeclared prerequisites), {@code init --from} (drafted ones) and
     * {@code install} (missing ones) share.
     */
    public static List<String> requiredEnv(String value) {
        return EnvReference.required(value);
    }

    /**
     * The command a user must have on PATH to run command: the trimmed command, or empty when it is a path
     * (it contains {@code /} or {@code \}: a file shipped in the plugin, or an absolute path) or a variable
     * ({@code $X}), blank, or null. The one rule that {@code validate --strict}, {@code init --from} and
     * {@code install} share.
     */
    public static Optional<String> pathCommand(String command) {
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        String c = command.strip();
        if (c.contains("/") || c.contains("\\") || c.startsWith("$")) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** This server's command to find on PATH, per {@link #pathCommand(String)}. */
    public Optional<String> pathCommand() {
        return command.flatMap(McpServer::pathCommand);
    }
}
