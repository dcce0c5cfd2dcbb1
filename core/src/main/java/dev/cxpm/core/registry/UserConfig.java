package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.resolve.MinReleaseAge;
import dev.cxpm.core.toml.TomlSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cxpm's own settings file ({@code $XDG_CONFIG_HOME/cxpm/config.toml}, else {@code ~/.config/cxpm/config.toml}):
 * top-level keys only ({@code registry}, {@code min-release-age}), each read with its line for errors and
 * changed one line at a time, every other line kept as written.
 */
public final class UserConfig {

    public static final String MIN_RELEASE_AGE = "min-release-age";

    private UserConfig() {
    }

    /** {@code $XDG_CONFIG_HOME/cxpm/config.toml}, else {@code $HOME/.config/cxpm/config.toml}, beside credentials.toml. */
    public static Path file(Map<String, String> vars) {
        return Credentials.defaultFile(vars.get("XDG_CONFIG_HOME"), vars.get("HOME")).resolveSibling("config.toml");
    }

    /** The file, parsed; empty when there is none. */
    static Optional<TomlSource> read(Map<String, String> vars) {
        Path config = file(vars);
        return Files.exists(config) ? Optional.of(TomlSource.read(config, "fix the file, or remove the line named")) : Optional.empty();
    }

    /** {@code min-release-age} for user installs; a value that is not a duration is an error naming its line. */
    public static Optional<MinReleaseAge> minReleaseAge(Map<String, String> vars) {
        Optional<TomlSource> toml = read(vars);
        if (toml.isEmpty() || !toml.get().root().has(MIN_RELEASE_AGE)) {
            return Optional.empty();
        }
        JsonNode v = toml.get().root().get(MIN_RELEASE_AGE);
        String where = toml.get().where(MIN_RELEASE_AGE);
        Optional<MinReleaseAge> age = v.isTextual() ? MinReleaseAge.parse(v.asText(), where) : Optional.empty();
        return Optional.of(age.orElseThrow(() -> new UserError(UserError.Kind.INVALID_INPUT,
                where + ": " + (v.isTextual() ? MinReleaseAge.problem(v.asText()) : "`min-release-age` must be a string such as \"3d\""),
                MinReleaseAge.HINT + ", or `cxpm config set min-release-age 3d`")));
    }

    /**
     * Sets (or, with empty, removes) a top-level key, its value already written as TOML, keeping every other line
     * as written; the file is replaced atomically.
     */
    public static Path set(Map<String, String> vars, String key, Optional<String> tomlValue) {
        Path config = file(vars);
        List<String> lines = new ArrayList<>();
        int at = -1;
        Optional<TomlSource> toml = read(vars);
        if (toml.isPresent()) {
            lines.addAll(List.of(toml.get().text().split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (toml.get().root().has(key)) {
                at = toml.get().lineOf(key) - 1;
            }
        }
        String line = tomlValue.map(v -> key + " = " + v).orElse(null);
        if (at >= 0 && at < lines.size()) {
            if (line == null) {
                lines.remove(at);
            } else {
                lines.set(at, line);
            }
        } else if (line != null) {
            lines.add(0, line); // top-level keys come before the first table
        }
        try {
            Files.createDirectories(config.getParent());
            TempPaths.replace(config, ".config", lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + config + ": " + UserError.reason(e), null, e);
        }
        return config;
    }
}
