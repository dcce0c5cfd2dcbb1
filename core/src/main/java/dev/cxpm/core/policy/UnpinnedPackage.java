package dev.cxpm.core.policy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An MCP server that fetches its code at every start ({@code npx -y pkg}, {@code bunx pkg}, {@code uvx pkg},
 * {@code pipx run pkg}) runs whatever the package's newest release is that day, unless the package is pinned to one
 * exact version ({@code pkg@1.2.3}, {@code pkg==1.2.3}). Tags and ranges ({@code @latest}, {@code @^1}) are not pins.
 */
final class UnpinnedPackage {

    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.+-]*)?");
    private static final List<String> NODE_RUNNERS = List.of("npx", "bunx", "pnpx");
    /** Options of these runners that take a value as the next argument. */
    private static final List<String> WITH_VALUE = List.of("-p", "--package", "--from", "--with", "-c", "--call", "--python",
            "--index-url", "--registry", "--cache", "--spec");

    private UnpinnedPackage() {
    }

    /** The package spec command runs unpinned with args, if it does. */
    static Optional<String> of(String command, List<String> args) {
        List<String> rest = args;
        boolean node = NODE_RUNNERS.contains(command);
        boolean python = command.equals("uvx") || command.equals("uv") && !args.isEmpty() && args.getFirst().equals("tool")
                || command.equals("pipx") && !args.isEmpty() && args.getFirst().equals("run");
        if (command.equals("uv") || command.equals("pipx")) {
            rest = args.subList(command.equals("uv") ? Math.min(2, args.size()) : 1, args.size());
        }
        if (!node && !python) {
            return Optional.empty();
        }
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.startsWith("--package=") || a.startsWith("--from=") || a.startsWith("--spec=")) {
                String spec = a.substring(a.indexOf('=') + 1);
                return pinned(spec, node) ? Optional.empty() : Optional.of(spec);
            }
            if (WITH_VALUE.contains(a) && i + 1 < rest.size()) {
                if (a.equals("-p") || a.equals("--package") || a.equals("--from") || a.equals("--spec")) {
                    String spec = rest.get(i + 1);
                    return pinned(spec, node) ? Optional.empty() : Optional.of(spec);
                }
                i++;
                continue;
            }
            if (a.startsWith("-")) {
                continue;
            }
            return pinned(a, node) ? Optional.empty() : Optional.of(a);
        }
        return Optional.empty();
    }

    private static boolean pinned(String spec, boolean node) {
        if (node) {
            int at = spec.lastIndexOf('@');
            return at > 0 && EXACT.matcher(spec.substring(at + 1)).matches();
        }
        int eq = spec.indexOf("==");
        if (eq > 0) {
            return EXACT.matcher(spec.substring(eq + 2)).matches() || spec.substring(eq + 2).matches("\\d+(\\.\\d+)*");
        }
        int at = spec.lastIndexOf('@');
        return at > 0 && spec.substring(at + 1).matches("\\d+(\\.\\d+)*([-+.][0-9A-Za-z.+-]*)?");
    }
}
