package dev.cxpm.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An uploaded {@code .tgz} read in memory, entry by entry, before anything is stored. Hostile
 * archives are refused here: absolute paths, {@code ..}, links, devices, duplicate entries, too
 * many files or bytes. Files are kept by their path inside the plugin: the archive's one top
 * directory ({@code package/}, as cxpm pack and npm write it) is stripped, as installers do.
 */
public final class PluginArchive {

    /** Documented limits (README): a compressed upload, its content, its number of entries. */
    public static final int MAX_COMPRESSED_BYTES = 50 * 1024 * 1024;
    public static final long MAX_CONTENT_BYTES = 200L * 1024 * 1024;
    public static final int MAX_ENTRIES = 10_000;
    private static final int MAX_PATH = 1024;
    /** Only these files are kept in memory: what the server reads (manifests, skills, README). */
    private static final long MAX_KEPT_FILE = 1024 * 1024;

    static final List<String> MANIFESTS = List.of(".codex-plugin/plugin.json", ".claude-plugin/plugin.json", ".cursor-plugin/plugin.json");

    private final Map<String, byte[]> kept;
    private final List<String> paths;
    private final List<Problem> problems;

    private PluginArchive(Map<String, byte[]> kept, List<String> paths, List<Problem> problems) {
        this.kept = kept;
        this.paths = paths;
        this.problems = problems;
    }

    /** Reads the archive; never throws on bad input, the problems say what is wrong. */
    public static PluginArchive read(byte[] tgz) {
        List<Problem> problems = new ArrayList<>();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        if (tgz.length > MAX_COMPRESSED_BYTES) {
            problems.add(new Problem("archive-too-large", null, "the archive is " + tgz.length + " bytes; the limit is " + MAX_COMPRESSED_BYTES));
            return new PluginArchive(kept, paths, problems);
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (paths.size() + 1 > MAX_ENTRIES) {
                    problems.add(new Problem("too-many-entries", null, "the archive has more than " + MAX_ENTRIES + " entries"));
                    break;
                }
                String path = cleanPath(name, problems);
                if (path == null) {
                    continue;
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    problems.add(new Problem("link-entry", path, "links are not allowed in a published plugin (" + e.getLinkName() + ")"));
                    continue;
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.isFile()) {
                    problems.add(new Problem("special-entry", path, "only regular files and directories are allowed (device, fifo or other special entry)"));
                    continue;
                }
                if (!seen.add(path)) {
                    problems.add(new Problem("duplicate-entry", path, "the archive holds this path twice"));
                    continue;
                }
                total += e.getSize();
                if (total > MAX_CONTENT_BYTES) {
                    problems.add(new Problem("content-too-large", null, "the archive unpacks to more than " + MAX_CONTENT_BYTES + " bytes"));
                    break;
                }
                paths.add(path);
                if (e.getSize() <= MAX_KEPT_FILE && worthKeeping(path)) {
                    kept.put(path, readAll(tar, e.getSize()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new Problem("corrupt-archive", null, "not a readable .tgz: " + e.getMessage()));
        }
        return stripTopDirectory(new PluginArchive(kept, paths, problems));
    }

    private static byte[] readAll(InputStream in, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        in.transferTo(out);
        return out.toByteArray();
    }

    private static boolean worthKeeping(String path) {
        return path.endsWith("plugin.json") || path.endsWith("SKILL.md") || path.endsWith("README.md")
                || path.endsWith(".mcp.json") || path.endsWith(".app.json");
    }

    /** The entry's path inside the plugin, or null (with a problem) when it escapes or is absolute. */
    private static String cleanPath(String name, List<Problem> problems) {
        String p = name.replace('\\', '/');
        if (p.startsWith("/") || p.matches("^[A-Za-z]:/.*")) {
            problems.add(new Problem("absolute-path", name, "absolute paths are not allowed in an archive"));
            return null;
        }
        if (p.length() > MAX_PATH || p.indexOf('\0') >= 0) {
            problems.add(new Problem("bad-path", name.substring(0, Math.min(80, name.length())), "path too long or with a NUL byte"));
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                problems.add(new Problem("path-traversal", name, "'..' is not allowed in archive paths"));
                return null;
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    /**
     * Every file must sit under one top directory ({@code package/}, as cxpm pack and npm write it),
     * because installers strip that first component; it is stripped here the same way.
     */
    private static PluginArchive stripTopDirectory(PluginArchive a) {
        if (a.paths.isEmpty()) {
            if (a.problems.isEmpty()) {
                a.problems.add(new Problem("empty-archive", null, "the archive holds no files"));
            }
            return a;
        }
        String first = a.paths.get(0);
        int slash = first.indexOf('/');
        String prefix = slash < 0 ? null : first.substring(0, slash + 1);
        if (prefix == null || !a.paths.stream().allMatch(p -> p.startsWith(prefix))) {
            a.problems.add(new Problem("archive-layout", null,
                    "every file must be under one top directory (package/), as 'cxpm pack' writes it"));
            return a;
        }
        Map<String, byte[]> kept = new LinkedHashMap<>();
        a.kept.forEach((k, v) -> kept.put(k.substring(prefix.length()), v));
        return new PluginArchive(kept, a.paths.stream().map(p -> p.substring(prefix.length())).toList(), a.problems);
    }

    /** Problems found reading the archive itself (not its manifest). */
    public List<Problem> problems() {
        return problems;
    }

    /** Every regular file's path inside the plugin, in archive order. */
    public List<String> paths() {
        return paths;
    }

    /** The manifest the real Codex CLI would read, first existing wins (SPEC.md §4). */
    public Optional<String> manifestPath() {
        for (String m : MANIFESTS) {
            if (kept.containsKey(m)) {
                return Optional.of(m);
            }
        }
        if (kept.containsKey("plugin.json")) {
            JsonNode root = json("plugin.json");
            if (root != null && root.path("$schema").asText("").startsWith("https://agent-plugins.org/schemas/")) {
                return Optional.of("plugin.json");
            }
        }
        return Optional.empty();
    }

    public Optional<String> text(String path) {
        byte[] b = kept.get(path);
        return b == null ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file parsed as JSON, or null when absent or not JSON. */
    public JsonNode json(String path) {
        byte[] b = kept.get(path);
        if (b == null) {
            return null;
        }
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            return null;
        }
    }
}
