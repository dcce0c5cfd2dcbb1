package dev.cxpm.core.format;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An MCP server a plugin ships: a local command (with args and env) or a remote url. */
public record McpServer(String name, Optional<String> command, List<String> args, Map<String, String> env,
        Optional<String> url) {
}
