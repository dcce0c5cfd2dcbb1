package dev.cxpm.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code cxpm sync} installed in a Codex home, per plugin id: version, integrity and the project
 * that asked for it. Lets a no-op sync finish without reading plugin files, and lets sync remove what
 * a project no longer needs while leaving plugins installed by hand (or by Codex) alone.
 * Kept in {@code $CODEX_HOME/.cxpm/sync-state.json}.
 */
public final class SyncState {

    public record Entry(String version, String integrity, String project) {
    }

    /** Made on first read or write only: {@link #fileOf} is on the no-op sync path, which must not pay for Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final Path file;
    private final Map<String, Entry> plugins;

    private SyncState(Path file, Map<String, Entry> plugins) {
        this.file = file;
        this.plugins = plugins;
    }

    public static Path fileOf(CodexHome home) {
        return home.dir().resolve(".cxpm").resolve("sync-state.json");
    }

    /** The state, empty when absent or unreadable (then sync simply verifies and reinstalls). */
    public static SyncState read(CodexHome home) {
        Path file = fileOf(home);
        Map<String, Entry> plugins = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = Json.MAPPER.readTree(file.toFile());
                for (var e : (Iterable<Map.Entry<String, JsonNode>>) root.path("plugins")::fields) {
                    JsonNode v = e.getValue();
                    plugins.put(e.getKey(), new Entry(v.path("version").asText(), v.path("integrity").asText(), v.path("project").asText()));
                }
            } catch (IOException | RuntimeException e) {
                plugins.clear();
            }
        }
        return new SyncState(file, plugins);
    }

    public Map<String, Entry> plugins() {
        return plugins;
    }

    public void put(String id, Entry e) {
        plugins.put(id, e);
    }

    public void remove(String id) {
        plugins.remove(id);
    }

    public void write() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode ps = root.putObject("plugins");
        plugins.forEach((id, e) -> ps.putObject(id).put("version", e.version()).put("integrity", e.integrity()).put("project", e.project()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = TempPaths.file(file.getParent(), ".sync-state", ".tmp");
            try {
                Json.MAPPER.writeValue(tmp.toFile(), root);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }
}
