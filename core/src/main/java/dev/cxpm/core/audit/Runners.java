package dev.cxpm.core.audit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The package a runner command fetches at start-up, when its version is not pinned: npm's ({@code npx},
 * {@code npm exec}, {@code bunx}, {@code pnpm dlx}, {@code yarn dlx}), Python's ({@code uvx}, {@code uv tool run},
 * {@code pipx run}) and container images ({@code docker run}, {@code podman run}). Pinned means an exact version
 * ({@code pkg@1.2.3}, {@code pkg==1.2.3}) or, for an image, a digest or a tag other than {@code latest}.
 */
final class Runners {
    private static final Pattern EXACT_SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");
    /** docker/podman run options that take a separate value, so that value is not read as the image. */
    private static final Set<String> DOCKER_VALUE_OPTIONS = Set.of("-e", "--env", "-v", "--volume", "--name", "-p", "--publish",
            "--network", "--net", "-w", "--workdir", "-u", "--user", "--mount", "--entrypoint", "--env-file", "-l", "--label",
            "--platform", "--pull", "--cpus", "--memory", "-m", "--add-host", "--cap-add", "--cap-drop", "--device", "--tmpfs",
            "--ulimit", "--security-opt", "-h", "--hostname", "--gpus", "--runtime", "--log-driver", "--restart", "--shm-size",
            "--ipc", "--pid", "--userns", "--dns", "--label-file", "--expose", "--group-add", "--link", "--volumes-from", "--stop-signal");

    private Runners() {
    }

    /** {@code npx -y pkg} and the package spec it fetches unpinned, or empty when it is pinned or not a runner. */
    static Optional<String> unpinned(String command, List<String> args) {
        String exe = command.strip();
        exe = exe.substring(Math.max(exe.lastIndexOf('/'), exe.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        exe = exe.endsWith(".cmd") || exe.endsWith(".exe") ? exe.substring(0, exe.length() - 4) : exe;
        String sub = args.isEmpty() ? "" : args.getFirst();
        List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
        return switch (exe) {
            case "npx", "bunx" -> npm(args);
            case "npm" -> sub.equals("exec") || sub.equals("x") ? npm(rest) : Optional.empty();
            case "bun", "pnpm", "yarn" -> sub.equals("x") || sub.equals("dlx") ? npm(rest) : Optional.empty();
            case "uvx" -> python(args, "--from");
            case "uv" -> sub.equals("tool") && rest.size() > 1 && rest.getFirst().equals("run") ? python(rest.subList(1, rest.size()), "--from")
                    : Optional.empty();
            case "pipx" -> sub.equals("run") ? python(rest, "--spec") : Optional.empty();
            case "docker", "podman" -> sub.equals("run") ? image(rest) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<String> npm(List<String> args) {
        String spec = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--package") || a.equals("-p")) {
                spec = i + 1 < args.size() ? args.get(i + 1) : null;
                break;
            } else if (a.startsWith("--package=")) {
                spec = a.substring("--package=".length());
                break;
            } else if (a.equals("--")) {
                spec = i + 1 < args.size() ? args.get(i + 1) : null;
                break;
            } else if (!a.startsWith("-")) {
                spec = a;
                break;
            }
        }
        if (spec == null || spec.startsWith(".") || spec.startsWith("/")) {
            return Optional.empty(); // nothing fetched, or a path in the plugin
        }
        int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
        boolean pinned = at > 0 && EXACT_SEMVER.matcher(spec.substring(at + 1)).matches();
        return pinned ? Optional.empty() : Optional.of("npm package `" + spec + "`");
    }

    private static Optional<String> python(List<String> args, String fromOption) {
        String spec = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(fromOption)) {
                spec = i + 1 < args.size() ? args.get(i + 1) : null;
                break;
            } else if (a.startsWith(fromOption + "=")) {
                spec = a.substring(fromOption.length() + 1);
                break;
            } else if (!a.startsWith("-")) {
                spec = a;
                break;
            }
        }
        if (spec == null || spec.startsWith(".") || spec.startsWith("/")) {
            return Optional.empty();
        }
        int eq = spec.indexOf("==");
        boolean pinned = eq > 0 && !spec.substring(eq + 2).isBlank() && !spec.substring(eq + 2).contains("*");
        return pinned ? Optional.empty() : Optional.of("Python package `" + spec + "`");
    }

    private static Optional<String> image(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (DOCKER_VALUE_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return pinnedImage(a) ? Optional.empty() : Optional.of("container image `" + a + "`");
            }
        }
        return Optional.empty();
    }

    private static boolean pinnedImage(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon > 0 && !last.substring(colon + 1).equals("latest") && !last.substring(colon + 1).isEmpty();
    }
}
