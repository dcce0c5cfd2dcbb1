package dev.cxpm.core.codexhome;

import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.FileText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.SyntaxError;
import dev.cxpm.core.toml.TomlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;

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
            return parse(file, FileText.read(file, TomlSource.MAX_BYTES));
        } catch (NoSuchFileException e) {
            return parse(file, "");
        } catch (FileText.TooLarge | FileText.NotRegularFile e) { // 50 MB of config.toml was "cannot read" (IO, exit 7)
            throw TomlSource.notRead(file, e, HAND_FIX);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " is not UTF-8 text, so it is not TOML", HAND_FIX, e);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static final String HAND_FIX = "fix config.toml by hand; cxpm and Codex both refuse to edit a file they cannot parse";

    private static JsonNode readTree(String text) throws JsonProcessingException {
        return TomlTree.read(text);
    }

    public static CodexConfig parse(Path file, String text) {
        // Codex reads a file that starts with a UTF-8 byte order mark and writes it back without one.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            return new CodexConfig(file, text, readTree(text));
        } catch (JsonProcessingException | RuntimeException e) {
            // The TOML lexer signals a few malformed inputs (e.g. a truncated escape) with unchecked exceptions.
            throw new UserError(UserError.Kind.INVALID_INPUT, SyntaxError.toml(file.toString(), text, e, HAND_FIX).message(), HAND_FIX, e);
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
        body.append("source_type = ").append(TomlKeys.formatString(entry.sourceType())).append('\n');
        body.append("source = ").append(TomlKeys.formatString(entry.source())).append('\n');
        entry.ref().ifPresent(r -> body.append("ref = ").append(TomlKeys.formatString(r)).append('\n'));
        if (!entry.sparsePaths().isEmpty()) {
            body.append("sparse_paths = [")
                    .append(String.join(", ", entry.sparsePaths().stream().map(TomlKeys::formatString).toList()))
                    .append("]\n");
        }
        List<String> path = List.of("marketplaces", name);
        TomlLayout layout = editableLayout();
        layout.inlineToTables(path);
        TomlLayout.Table existing = layout.find(path);
        if (existing != null) {
            existing.body = body.toString();
        } else {
            refuseDottedDefinition(layout, path, "[marketplaces." + TomlKeys.formatKey(name) + "] table");
            layout.insert(path, body.toString());
        }
        return checked(layout.text());
    }

    public CodexConfig withoutMarketplace(String name) {
        return without("marketplaces", name);
    }

    /**
     * Adds {@code [plugins."<id>"]} with {@code enabled}, or sets the flag where the file already sets it
     * (a table, a dotted key, an inline table made a table first), keeping its spacing and comments, as
     * Codex does when a plugin is added again.
     */
    public CodexConfig withPlugin(String id, boolean enabled) {
        TomlLayout layout = editableLayout();
        setPlugin(layout, id, enabled);
        return checked(layout.text());
    }

    /**
     * {@link #withPlugin} for each plugin in order, in one edit: the same bytes, but the file is cut up,
     * indexed and re-parsed once, so setting N plugins costs N rather than N times the file (a sync of
     * 1,000 plugins spent most of its time re-reading config.toml once per plugin).
     */
    public CodexConfig withPlugins(SequencedMap<String, Boolean> flags) {
        if (flags.isEmpty()) {
            return this;
        }
        TomlLayout layout = editableLayout();
        layout.inlineToTables(List.of("plugins"));
        TomlBatchEdit batch = new TomlBatchEdit(layout);
        List<List<String>> fresh = new ArrayList<>(flags.size());
        List<String> bodies = new ArrayList<>(flags.size());
        // by identity: each entry is one object of the index, and a record's hashCode hashed its whole line (~1/4 of an edit of 1,000 existing tables)
        Map<TomlLayout.Entry, String> values = new java.util.IdentityHashMap<>();
        for (var f : flags.entrySet()) {
            List<String> path = List.of("plugins", f.getKey());
            if (batch.absent(path)) {
                // a plugin the file does not name (every plugin of a sync into a new home): one look-up, not five
                fresh.add(path);
                bodies.add(f.getValue() ? ENABLED : DISABLED);
                continue;
            }
            String enabled = String.valueOf(f.getValue());
            TomlLayout.Entry inline = batch.entry(path);
            if (inline != null && inline.item().value().startsWith("{") || batch.crowded(path)) {
                // An inline table to make a [header] first, or a table under this one: rare shapes, edited on
                // their own as withPlugin does, in their turn; the batch is then indexed again.
                batch.replaceAll(values);
                batch.insertSiblings(fresh, bodies);
                values.clear();
                fresh.clear();
                bodies.clear();
                setPlugin(layout, f.getKey(), f.getValue());
                batch = new TomlBatchEdit(layout);
                continue;
            }
            TomlLayout.Entry flag = batch.entry(List.of("plugins", f.getKey(), "enabled"));
            TomlLayout.Table existing = batch.table(path);
            if (flag != null) {
                values.put(flag, flag.withValue(enabled));
            } else if (existing != null) {
                existing.body = existing.body + "enabled = " + enabled + "\n";
            } else {
                TomlLayout.Entry dotted = batch.definingFromAbove(path);
                if (dotted != null) {
                    refuseDottedDefinition(dotted, path, "[plugins." + TomlKeys.formatKey(f.getKey()) + "] table with enabled = " + enabled);
                }
                fresh.add(path);
                bodies.add(f.getValue() ? ENABLED : DISABLED);
            }
        }
        batch.replaceAll(values);
        batch.insertSiblings(fresh, bodies);
        return checked(layout.text());
    }

    private static final String ENABLED = "enabled = true\n";
    private static final String DISABLED = "enabled = false\n";

    private void setPlugin(TomlLayout layout, String id, boolean enabled) {
        List<String> path = List.of("plugins", id);
        layout.inlineToTables(path);
        List<String> flag = List.of("plugins", id, "enabled");
        if (!layout.setValue(flag, String.valueOf(enabled))) {
            TomlLayout.Table existing = layout.find(path);
            if (existing != null) {
                existing.body = existing.body + "enabled = " + enabled + "\n";
            } else {
                refuseDottedDefinition(layout, path, "[plugins." + TomlKeys.formatKey(id) + "] table with enabled = " + enabled);
                layout.insert(path, "enabled = " + enabled + "\n");
            }
        }
    }

    public CodexConfig withoutPlugin(String id) {
        return without("plugins", id);
    }

    /** {@link #withoutPlugin} for each, in one edit (see {@link #withPlugins}). */
    public CodexConfig withoutPlugins(Collection<String> ids) {
        List<List<String>> present = new ArrayList<>();
        for (String id : ids) {
            if (toml.path("plugins").isObject() && toml.path("plugins").has(id)) {
                present.add(List.of("plugins", id));
            }
        }
        if (present.isEmpty()) {
            return this;
        }
        TomlLayout layout = editableLayout();
        layout.inlineToTables(List.of("plugins"));
        TomlBatchEdit.removeEach(layout, present);
        return checked(layout.text());
    }

    private CodexConfig without(String section, String name) {
        TomlLayout layout = editableLayout();
        if (toml.path(section).isObject() && toml.path(section).has(name)) {
            layout.inlineToTables(List.of(section));
        }
        layout.removeAll(List.of(section, name));
        return checked(layout.text());
    }

    /**
     * A table defined by dotted keys ({@code plugins."x@y".note = 1}) cannot get a [header] or new keys
     * without guessing where they go: refused with the line, and the form that cxpm and Codex both edit.
     */
    private void refuseDottedDefinition(TomlLayout layout, List<String> path, String form) {
        refuseDottedDefinition(layout.definingFromAbove(path), path, form);
    }

    private void refuseDottedDefinition(TomlLayout.Entry e, List<String> path, String form) {
        if (e != null) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "cannot edit " + file + ":" + e.line() + " safely: "
                    + String.join(".", path.stream().map(TomlKeys::formatKey).toList()) + " is defined there by dotted keys",
                    "write it as a " + form + ", then run the command again");
        }
    }

    /**
     * Replaces the file atomically (temp file in the same directory, then an atomic move). The file is
     * 0600, as Codex writes it: it may hold MCP servers' tokens, so it does not follow the umask as
     * cxpm's other files do.
     */
    public void write() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = dev.cxpm.core.TempPaths.privateFile(file.toAbsolutePath().getParent(), ".config.toml.", ".tmp");
            try {
                // written and flushed through one open file: the rename below is what makes the change atomic (a
                // killed run leaves the old file); this one fsync is what keeps a power cut from leaving the new name
                // on empty or partial content. The directory is not synced: losing the rename leaves the old file.
                // (encoded strictly, as Files.writeString did: text that is not valid Unicode is refused, not written as '?')
                java.nio.ByteBuffer bytes = utf8(text);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
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

    /**
     * text as UTF-8, refused (a CharacterCodingException) when it is not valid Unicode, as the strict encoder refuses it.
     * String.getBytes writes a lone surrogate as '?', so its bytes are text's exactly when they decode to text again:
     * then they are used, else the strict encoder says why. Two passes of the JDK's own string code, where the strict
     * encoder went char by char (~3 ms of a cold sync of 1,000 plugins, interpreted, on config.toml's 45 kB).
     */
    static java.nio.ByteBuffer utf8(String text) throws java.nio.charset.CharacterCodingException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (new String(bytes, StandardCharsets.UTF_8).equals(text)) {
            return java.nio.ByteBuffer.wrap(bytes);
        }
        return StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(text));
    }

    private TomlLayout editableLayout() {
        return TomlLayout.parse(text);
    }

    private CodexConfig checked(String newText) {
        try {
            return new CodexConfig(file, newText, readTree(newText));
        } catch (JsonProcessingException | RuntimeException e) {
            // The edit would not parse: the file defines these tables in a form cxpm does not edit; nothing is written.
            String why = SyntaxError.toml(file.toString(), newText, e, null).problem();
            throw new UserError(UserError.Kind.INVALID_INPUT, "cannot edit " + file + " safely: the edited text would not parse (" + why + ")",
                    "rewrite the marketplaces and plugins entries as [marketplaces.NAME] and [plugins.\"ID\"] tables, then run the command again");
        }
    }

    private static Optional<String> string(JsonNode t, String key) {
        return t.path(key).isTextual() ? Optional.of(t.path(key).asText()) : Optional.empty();
    }
}
