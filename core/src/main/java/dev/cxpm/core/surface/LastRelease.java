package dev.cxpm.core.surface;

import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The "last packed or published version" that {@code cxpm version} compares against: every
 * {@code cxpm pack} and every {@code cxpm publish} of a directory records what it released (the archive
 * it wrote, or the registry it published to), its integrity and the plugin's {@link Surface} in
 * {@code <plugin>/.cxpm/last-release.json} (never packed itself: {@code .cxpm/} is excluded by default).
 * Keeping the surface, not the archive, makes the record small and independent of where the .tgz went.
 *
 * @param file the archive {@code cxpm pack} wrote, or null after a publish
 * @param publishedTo the registry URL after a publish, or null after a pack
 */
public record LastRelease(String file, Integrity integrity, Surface surface, String publishedTo) {

    /** A pack's record. */
    public static LastRelease packed(String file, Integrity integrity, Surface surface) {
        return new LastRelease(file, integrity, surface, null);
    }

    /** A publish's record. */
    public static LastRelease published(String registry, Integrity integrity, Surface surface) {
        return new LastRelease(null, integrity, surface, registry);
    }

    /** How the version was released, for messages: "packed" or "published to URL". */
    public String how() {
        return publishedTo == null ? "packed" : "published to " + publishedTo;
    }

    public static final String RELATIVE_PATH = ".cxpm/last-release.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path fileOf(Path pluginDir) {
        return pluginDir.resolve(RELATIVE_PATH);
    }

    /** The record, or empty when there is none or it cannot be read (it is a cache; never an error). */
    public static Optional<LastRelease> read(Path pluginDir) {
        Path f = fileOf(pluginDir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(FileText.bytes(f, JsonFile.MAX_BYTES));
            return Optional.of(new LastRelease(o.path("file").asText(null), Integrity.parse(o.path("integrity").asText()),
                    Surface.fromJson(o.path("surface")), o.path("publishedTo").asText(null)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the record atomically. */
    public void write(Path pluginDir) throws IOException {
        Path f = fileOf(pluginDir);
        Files.createDirectories(f.getParent());
        ObjectNode o = JSON.createObjectNode();
        if (file != null) {
            o.put("file", file);
        }
        if (publishedTo != null) {
            o.put("publishedTo", publishedTo);
        }
        o.put("integrity", integrity.toString());
        o.set("surface", surface.toJson(JSON));
        TempPaths.replace(f, ".last-release-", JSON.writeValueAsString(o) + "\n");
    }
}
