package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.toml.TomlStrings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry a command uses when none is given on its command line, one rule for every command:
 * {@code $CXPM_REGISTRY}, else {@code registry = "URL"} in cxpm's config file
 * ({@code $XDG_CONFIG_HOME/cxpm/config.toml}, else {@code ~/.config/cxpm/config.toml}), else the
 * default {@code cxpm login} saved in credentials.toml. A value that is not an http(s) URL is an
 * error naming where it came from, never silently skipped.
 */
public final class DefaultRegistry {

    private DefaultRegistry() {
    }

    /** {@code $XDG_CONFIG_HOME/cxpm/config.toml}, else {@code $HOME/.config/cxpm/config.toml}, beside credentials.toml. */
    public static Path configFile(Map<String, String> vars) {
        return Credentials.defaultFile(vars.get("XDG_CONFIG_HOME"), vars.get("HOME")).resolveSibling("config.toml");
    }

    public static Optional<URI> of(Map<String, String> vars) {
        String fromEnv = vars.get("CXPM_REGISTRY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(parse(fromEnv, "$CXPM_REGISTRY"));
        }
        Optional<URI> configured = configured(vars);
        if (configured.isPresent()) {
            return configured;
        }
        Path credentials = Credentials.defaultFile(vars.get("XDG_CONFIG_HOME"), vars.get("HOME"));
        return Credentials.load(credentials).defaultRegistry().map(u -> parse(u, credentials + " (default)"));
    }

    /** The registry set in cxpm's config file only (what {@code cxpm config get registry} shows). */
    public static Optional<URI> configured(Map<String, String> vars) {
        Path config = configFile(vars);
        if (!Files.exists(config)) {
            return Optional.empty();
        }
        TomlSource toml = TomlSource.read(config, "fix the file, or remove its registry line");
        JsonNode registry = toml.root().path("registry");
        if (registry.isMissingNode()) {
            return Optional.empty();
        }
        if (!registry.isTextual()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, toml.where("registry") + ": registry must be a string",
                    "write registry = \"https://host\"");
        }
        return Optional.of(parse(registry.asText(), toml.where("registry")));
    }

    /**
     * Sets (or, with empty, removes) {@code registry} in cxpm's config file, keeping every other line as
     * written; the file is replaced atomically.
     */
    public static Path save(Map<String, String> vars, Optional<URI> url) {
        return save(vars, "registry", url.map(URI::toString));
    }

    /** Sets (or, with empty, removes) one top-level string setting of cxpm's config file, keeping every other line. */
    public static Path save(Map<String, String> vars, String key, Optional<String> value) {
        Path config = configFile(vars);
        List<String> lines = new ArrayList<>();
        int at = -1;
        if (Files.exists(config)) {
            TomlSource toml = TomlSource.read(config, "fix the file, or delete it");
            lines.addAll(List.of(toml.text().split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (toml.root().has(key)) {
                at = toml.lineOf(key) - 1;
            }
        }
        String line = value.map(u -> key + " = " + TomlStrings.quote(u)).orElse(null);
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
            Path tmp = TempPaths.file(config.getParent(), ".config", ".tmp");
            Files.writeString(tmp, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + config + ": " + UserError.reason(e), null, e);
        }
        return config;
    }

    private static URI parse(String url, String where) {
        try {
            return RegistryClient.parseUrl(url);
        } catch (UserError e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, where + ": " + e.getMessage(), e.hint());
        }
    }
}
