package dev.cxpm.core.surface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The "last packed version" that {@code cxpm version} compares against: every {@code cxpm pack} records
 * the archive it wrote, its integrity and the plugin's {@link Surface} in
 * {@code <plugin>/.cxpm/last-pack.json} (never packed itself: {@code .cxpm/} is excluded by default).
 * Keeping the surface, not the archive, makes the record small and independent of where the .tgz went.
 */
public record LastPack(String file, Integrity integrity, Surface surface) {

    public static final String RELATIVE_PATH = ".cxpm/last-pack.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path fileOf(Path pluginDir) {
        return pluginDir.resolve(RELATIVE_PATH);
    }

    /** The record, or empty when there is none or it cannot be read (it is a cache; never an error). */
    public static Optional<LastPack> read(Path pluginDir) {
        Path f = fileOf(pluginDir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(f.toFile());
            return Optional.of(new LastPack(o.path("file").asText(null), Integrity.parse(o.path("integrity").asText()),
                    Surface.fromJson(o.path("surface"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the record atomically. */
    public void write(Path pluginDir) throws IOException {
        Path f = fileOf(pluginDir);
        Files.createDirectories(f.getParent());
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file);
        o.put("integrity", integrity.toString());
        o.set("surface", surface.toJson(JSON));
        Path tmp = Files.createTempFile(f.getParent(), ".last-pack-", ".tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(o) + "\n");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
