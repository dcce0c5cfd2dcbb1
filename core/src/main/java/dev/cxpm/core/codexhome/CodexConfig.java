package dev.cxpm.core.codexhome;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code $CODEX_HOME/config.toml}, shared with the real Codex CLI. Values are read with a real TOML
 * parser; edits touch only the tables cxpm and Codex own ({@code [marketplaces.<name>]} and
 * {@code [plugins."<plugin>@<marketplace>"]}) and produce the same bytes Codex writes for the same
 * operation (see {@link TomlLayout}). Every edit is re-parsed before it may be written, so cxpm never
 * leaves a config.toml that Codex cannot read. Immutable: edits return a new value.
 */
public final class CodexConfig {

    /** A {@code [marketplaces.<name>]} table. */
    public record MarketplaceEntry(String sourceType, String source, Optional<String> ref, List<String> sparsePaths) {
        public MarketplaceEntry {
            sparsePaths = List.copyOf(sparsePaths);
        }

        public static MarketplaceEntry local(String root) {
            return new MarketplaceEntry("local", root, Optional.empty(), List.of());
        }

        public static MarketplaceEntry git(String url, Optional<String> ref) {
            return new MarketplaceEntry("git", url, ref, List.of());
        }

        public boolean isGit() {
            return "git".equals(sourceType);
        }
    }

    private static final TomlMapper MAPPER = new TomlMapper();

    private final Path file;
    private final String text;
    private final JsonNode toml;

    private CodexConfig(Path file, String text, JsonNode toml) {
        this.file = file;
        this.text = text;
        this.toml = toml;
    }

    /** Reads the file; a missing file is an empty config (Codex creates it on first write). */
    public static CodexConfig read(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return parse(file, "");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " is not UTF-8 text, so it is not TOML", HAND_FIX, e);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static final String HAND_FIX = "fix config.toml by hand; cxpm and Codex both refuse to edit a file they cannot parse";

    private static JsonNode readTree(String text) throws JsonProcessingException {
        JsonNode root = MAPPER.readTree(text);
        return root == null || root.isMissingNode() ? MAPPER.createObjectNode() : root;
    }

    public static CodexConfig parse(Path file, String text) {
        try {
            return new CodexConfig(file, text, readTree(text));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new UserError(UserError.Kind.INVALID_INPUT, where + ": invalid TOML: " + e.getOriginalMessage(), HAND_FIX, e);
        } catch (RuntimeException e) {
            // The TOML lexer signals a few malformed inputs (e.g. a truncated escape) with unchecked exceptions.
            throw new UserError(UserError.Kind.INVALID_INPUT, file + ": invalid TOML: " + e.getMessage(), HAND_FIX, e);
        }
    }

    public Path file() {
        return file;
    }

    public String text() {
        return text;
    }

    /** The configured marketplaces by name, sorted. */
    public Map<String, MarketplaceEntry> marketplaces() {
        Map<String, MarketplaceEntry> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : toml.path("marketplaces").properties()) {
            String name = e.getKey();
            JsonNode t = e.getValue();
            if (t.isObject()) {
                List<String> sparse = new ArrayList<>();
                for (JsonNode s : t.path("sparse_paths")) {
                    if (s.isTextual()) {
                        sparse.add(s.asText());
                    }
                }
                out.put(name, new MarketplaceEntry(string(t, "source_type").orElse("local"),
                        string(t, "source").orElse(""), string(t, "ref"), sparse));
            }
        }
        return out;
    }

    /** Plugin ids ({@code plugin@marketplace}) with their {@code enabled} flag, sorted. */
    public Map<String, Boolean> plugins() {
        Map<String, Boolean> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : toml.path("plugins").properties()) {
            JsonNode t = e.getValue();
            if (t.isObject()) {
                out.put(e.getKey(), !t.path("enabled").isBoolean() || t.path("enabled").asBoolean());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Adds {@code [marketplaces.<name>]}, or rewrites its body in place when it exists. */
    public CodexConfig withMarketplace(String name, MarketplaceEntry entry) {
        StringBuilder body = new StringBuilder();
        body.append("source_type = ").append(TomlLayout.formatString(entry.sourceType())).append('\n');
        body.append("source = ").append(TomlLayout.formatString(entry.source())).append('\n');
        entry.ref().ifPresent(r -> body.append("ref = ").append(TomlLayout.formatString(r)).append('\n'));
        if (!entry.sparsePaths().isEmpty()) {
            body.append("sparse_paths = [")
                    .append(String.join(", ", entry.sparsePaths().stream().map(TomlLayout::formatString).toList()))
                    .append("]\n");
        }
        TomlLayout layout = editableLayout();
        List<String> path = List.of("marketplaces", name);
        TomlLayout.Table existing = layout.find(path);
        if (existing != null) {
            existing.body = body.toString();
        } else {
            layout.insert(path, body.toString());
        }
        return checked(layout.text());
    }

    public CodexConfig withoutMarketplace(String name) {
        TomlLayout layout = editableLayout();
        layout.remove(List.of("marketplaces", name));
        return checked(layout.text());
    }

    private static final Pattern ENABLED = Pattern.compile("(?m)^([ \\t]*(?:enabled|\"enabled\"|'enabled')[ \\t]*=[ \\t]*)(true|false)");

    /**
     * Adds {@code [plugins."<id>"]} with {@code enabled}, or sets the flag of the existing table, keeping
     * its spacing and comments (as Codex does when a plugin is added again).
     */
    public CodexConfig withPlugin(String id, boolean enabled) {
        TomlLayout layout = editableLayout();
        List<String> path = List.of("plugins", id);
        TomlLayout.Table existing = layout.find(path);
        if (existing == null) {
            layout.insert(path, "enabled = " + enabled + "\n");
        } else {
            Matcher m = ENABLED.matcher(existing.body);
            if (m.find()) {
                existing.body = existing.body.substring(0, m.start(2)) + enabled + existing.body.substring(m.end(2));
            } else {
                existing.body = existing.body + "enabled = " + enabled + "\n";
            }
        }
        return checked(layout.text());
    }

    public CodexConfig withoutPlugin(String id) {
        TomlLayout layout = editableLayout();
        layout.remove(List.of("plugins", id));
        return checked(layout.text());
    }

    /** Replaces the file atomically (temp file in the same directory, then an atomic move). */
    public void write() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config.toml.", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(),
                    "check free space and permissions; the previous config.toml is unchanged", e);
        }
    }

    private TomlLayout editableLayout() {
        return TomlLayout.parse(text);
    }

    private CodexConfig checked(String newText) {
        try {
            return new CodexConfig(file, newText, readTree(newText));
        } catch (JsonProcessingException | RuntimeException e) {
            // The file defines these tables in a form cxpm does not edit (inline or dotted keys).
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UserError(UserError.Kind.CONFLICT, "cannot edit " + file + " safely: " + why,
                    "the marketplaces/plugins tables are written as inline tables or dotted keys; rewrite them as [marketplaces.NAME] / [plugins.\"ID\"] tables");
        }
    }

    private static Optional<String> string(JsonNode t, String key) {
        return t.path(key).isTextual() ? Optional.of(t.path(key).asText()) : Optional.empty();
    }
}
