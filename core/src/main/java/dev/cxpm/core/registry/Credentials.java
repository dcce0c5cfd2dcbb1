package dev.cxpm.core.registry;

import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registry tokens saved by {@code cxpm login}: {@code ~/.config/cxpm/credentials.toml}, mode 0600,
 * one table per registry URL and the default registry. cxpm writes the whole file (it is its
 * own), to a temp file created 0600 and moved into place, so a token is never readable by others,
 * not even for a moment.
 * <pre>
 * default = "http://127.0.0.1:8686"
 *
 * [registries."http://127.0.0.1:8686"]
 * token = "cxpm_..."
 * </pre>
 */
public final class Credentials {

    private final Path file;
    private String defaultRegistry;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    private Credentials(Path file) {
        this.file = file;
    }

    /** {@code $XDG_CONFIG_HOME/cxpm/credentials.toml}, else {@code $HOME/.config/cxpm/credentials.toml}. */
    public static Path defaultFile(String xdgConfigHome, String home) {
        Path base = xdgConfigHome != null && !xdgConfigHome.isBlank() ? Path.of(xdgConfigHome) : Path.of(home, ".config");
        return base.resolve("cxpm").resolve("credentials.toml");
    }

    public static Credentials load(Path file) {
        Credentials c = new Credentials(file);
        if (!Files.exists(file)) {
            return c;
        }
        String text;
        try {
            text = FileText.read(file, TomlSource.MAX_BYTES);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage());
        }
        String table = null;
        int n = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher t = Patterns.TABLE.matcher(line);
            Matcher k = Patterns.KEY.matcher(line);
            if (t.matches()) {
                table = t.group(1);
            } else if (k.matches()) {
                String value = k.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
                if (table == null && k.group(1).equals("default")) {
                    c.defaultRegistry = value;
                } else if (table != null && k.group(1).equals("token")) {
                    c.tokens.put(table, value);
                }
            } else {
                throw new UserError(UserError.Kind.INVALID_INPUT, file + ":" + n + ":1: cxpm cannot read this line"
                        + " (it writes only [registries.\"URL\"] tables with token = \"...\", and default = \"...\")",
                        "fix or delete the file, then cxpm login again");
            }
        }
        return c;
    }

    public Optional<String> defaultRegistry() {
        return Optional.ofNullable(defaultRegistry);
    }

    public Optional<String> token(String registry) {
        return Optional.ofNullable(tokens.get(registry));
    }

    public void put(String registry, String token, boolean makeDefault) {
        tokens.put(registry, token);
        if (makeDefault || defaultRegistry == null) {
            defaultRegistry = registry;
        }
    }

    public boolean remove(String registry) {
        boolean had = tokens.remove(registry) != null;
        if (registry.equals(defaultRegistry)) {
            defaultRegistry = tokens.keySet().stream().findFirst().orElse(null);
        }
        return had;
    }

    public void save() {
        StringBuilder b = new StringBuilder("# cxpm registry tokens, written by 'cxpm login'. Keep private (mode 0600).\n");
        if (defaultRegistry != null) {
            b.append("default = ").append(quote(defaultRegistry)).append('\n');
        }
        tokens.forEach((url, token) -> b.append("\n[registries.").append(quote(url)).append("]\ntoken = ").append(quote(token)).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AccessDeniedException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": permission denied");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Compiled on first use (only when a credentials file is read), not when the class loads: a few ms of a cold command. */
    private static final class Patterns {
        static final Pattern TABLE = Pattern.compile("^\\[registries\\.\"([^\"]+)\"\\]\\s*(#.*)?$");
        static final Pattern KEY = Pattern.compile("^([A-Za-z_]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(#.*)?$");
    }
}
