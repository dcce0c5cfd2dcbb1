package dev.cxpm.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workplace's {@code shared/} directory that sits beside the repository: the Codex compatibility
 * fixtures, the real-world corpus sample and the real Codex client. Found by walking up from the
 * working directory (a module dir during Maven tests) or from {@code CXPM_SHARED}.
 */
public final class Shared {
    private Shared() {
    }

    public static Path root() {
        String override = System.getenv("CXPM_SHARED");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("compat/codex"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("cannot find ../shared (with compat/codex) above " + Path.of("").toAbsolutePath()
                + "; set CXPM_SHARED");
    }

    public static Path codexFixtures() {
        return root().resolve("compat/codex/fixtures");
    }

    public static Path corpusSample() {
        return root().resolve("corpus-sample");
    }

    public static Path codexClientScript() {
        return root().resolve("compat/codex/codex-client.sh");
    }
}
