package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Codex home directory and where things live in it, as the real Codex CLI lays it out:
 * {@code config.toml}, git marketplace clones under {@code .tmp/marketplaces/<name>/} and installed
 * plugins under {@code plugins/cache/<marketplace>/<plugin>/<version>/}.
 */
public record CodexHome(Path dir) {

    /** {@code $CODEX_HOME}, else {@code $HOME/.codex} (what Codex uses). */
    public static CodexHome resolve(Map<String, String> env, Path cwd) {
        String codexHome = env.get("CODEX_HOME");
        if (codexHome != null && !codexHome.isBlank()) {
            return new CodexHome(cwd.resolve(codexHome).toAbsolutePath().normalize());
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            throw new UserError(UserError.Kind.USAGE, "neither CODEX_HOME nor HOME is set",
                    "set CODEX_HOME to your Codex home (usually ~/.codex)");
        }
        return new CodexHome(Path.of(home).resolve(".codex").toAbsolutePath().normalize());
    }

    public Path configFile() {
        return dir.resolve("config.toml");
    }

    public CodexConfig config() {
        return CodexConfig.read(configFile());
    }

    /** Where Codex clones a git marketplace. */
    public Path marketplaceClone(String name) {
        return dir.resolve(".tmp").resolve("marketplaces").resolve(name);
    }

    /** Where Codex stages a clone before moving it into place. */
    public Path marketplaceStaging() {
        return dir.resolve(".tmp").resolve("marketplaces").resolve(".staging");
    }

    public Path pluginCache() {
        return dir.resolve("plugins").resolve("cache");
    }

    /** {@code plugins/cache/<marketplace>/<plugin>}: every installed version of one plugin. */
    public Path pluginDir(String marketplace, String plugin) {
        return pluginCache().resolve(marketplace).resolve(plugin);
    }

    /** cxpm's staging area for installs: inside the Codex home so the final move is a rename. */
    public Path installStaging() {
        return dir.resolve("plugins").resolve(".cxpm-staging");
    }

    /** The inter-process lock file cxpm holds while it changes this home. */
    public Path lockFile() {
        return dir.resolve(".cxpm.lock");
    }
}
