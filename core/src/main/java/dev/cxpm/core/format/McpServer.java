package dev.cxpm.core.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An MCP server a plugin ships: a local command (with args and env) or a remote url. */
public record McpServer(String name, Optional<String> command, List<String> args, Map<String, String> env,
        Optional<String> url) {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?-[^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The environment variables an env value requires: {@code ${NAME}} or {@code $NAME}. A reference
     * with a fallback ({@code ${NAME:-x}}, {@code ${NAME-x}}) is not required. The one rule that
     * {@code validate --strict} (undeclared prerequisites) and {@code install} (missing ones) share.
     */
    public static List<String> requiredEnv(String value) {
        List<String> out = new ArrayList<>();
        Matcher m = ENV_REF.matcher(value);
        while (m.find()) {
            if (m.group(1) != null && m.group(2) == null) {
                out.add(m.group(1));
            } else if (m.group(3) != null) {
                out.add(m.group(3));
            }
        }
        return out;
    }
}
