package dev.cxpm.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.GitReservedNames;
import dev.cxpm.registry.Problem;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * An uploaded {@code .tgz} read entry by entry, before anything is stored. Hostile archives are refused
 * here: absolute paths, {@code ..}, backslashes and control characters, names git treats specially
 * ({@link GitReservedNames}), links, devices, duplicate entries, too many entries or bytes. What it costs
 * is bounded whatever the upload holds: reading stops at the first limit exceeded (entries counted as they
 * come, bytes as they are decompressed), only the few files the registry reads are kept (manifests, the
 * head of each SKILL.md, within {@link #MAX_KEPT_BYTES}), and at most {@link #MAX_PROBLEMS} problems are
 * listed. Files are kept by their path inside the plugin: the archive's one top directory
 * ({@code package/}, as cxpm pack and npm write it) is stripped, as installers do.
 */
public final class PluginArchive {

    /** Documented limits (README): a compressed upload, its content, its number of entries. */
    public static final int MAX_COMPRESSED_BYTES = dev.cxpm.registry.storage.blob.BlobStore.MAX_BLOB_BYTES;
    public static final long MAX_CONTENT_BYTES = 200L * 1024 * 1024;
    public static final int MAX_ENTRIES = 10_000;
    /** What an install accepts for one file (the foundation's Unpacker): a registry must not serve what no client installs. */
    public static final long MAX_FILE_BYTES = dev.cxpm.core.pack.PackLimits.DEFAULT.maxFileBytes();
    /** Problems listed in one answer; the rest are counted in a last one. */
    public static final int MAX_PROBLEMS = 100;
    private static final int MAX_PATH = dev.cxpm.core.pack.PackLimits.MAX_PATH;
    /** A manifest or component file the server parses whole. */
    private static final int MAX_KEPT_FILE = 1024 * 1024;
    /** Of a SKILL.md only the head is kept: its front matter is all the registry reads. */
    private static final int SKILL_HEAD = 64 * 1024;
    /** Everything kept in memory for one upload. */
    static final long MAX_KEPT_BYTES = 16L * 1024 * 1024;
    /** Tar headers and padding beside the content: a stream decompressing to more than this is a bomb. */
    private static final long MAX_DECOMPRESSED = MAX_CONTENT_BYTES + (long) MAX_ENTRIES * 4096 + (1 << 20);

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
        return read(new ByteArrayInputStream(tgz), tgz.length);
    }

    /** Reads the archive in a file as a stream: what it costs in memory is what {@link #read(InputStream, long)} keeps. */
    public static PluginArchive read(Path tgz) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz), 64 * 1024)) {
            return read(in, Files.size(tgz));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code size} bytes of archive from the stream, keeping only manifests and SKILL.md heads (16 MiB at most). */
    public static PluginArchive read(InputStream tgz, long size) {
        Problems problems = new Problems();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        if (size > MAX_COMPRESSED_BYTES) {
            problems.limit(new Problem("archive-too-large", null, "the archive is " + size + " bytes; the limit is " + MAX_COMPRESSED_BYTES));
            return new PluginArchive(kept, paths, problems.list());
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        long keptBytes = 0;
        int entries = 0;
        try (TarArchiveInputStream tar = tar(tgz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    problems.limit(new Problem("too-many-entries", null, "the archive has more than " + MAX_ENTRIES + " entries"));
                    break;
                }
                String path = cleanPath(e.getName(), problems);
                if (path == null) {
                    continue;
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    problems.add(new Problem("link-entry", path, "links are not allowed in a published plugin (" + shown(e.getLinkName()) + ")"));
                    continue;
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (!dev.cxpm.core.pack.Unpacker.isRegularFile(e) || e.isGNUSparse()) { // not isFile: a pipe's entry is one
                    problems.add(new Problem("special-entry", path, "only regular files and directories are allowed (device, fifo or other special entry)"));
                    continue;
                }
                if (!seen.add(path)) {
                    problems.add(new Problem("duplicate-entry", path, "the archive holds this path twice"));
                    continue;
                }
                if (e.getSize() > MAX_FILE_BYTES) {
                    problems.add(new Problem("file-too-large", path, "the file is " + e.getSize() + " bytes; cxpm installs files of at most "
                            + MAX_FILE_BYTES + " bytes"));
                }
                total += e.getSize();
                if (total > MAX_CONTENT_BYTES) {
                    problems.limit(new Problem("content-too-large", null, "the archive unpacks to more than " + MAX_CONTENT_BYTES + " bytes"));
                    break;
                }
                paths.add(path);
                int keep = keptSize(path, e.getSize());
                if (keep < 0) {
                    problems.add(new Problem("file-too-large", path, "the registry reads this file whole; it may hold at most " + MAX_KEPT_FILE + " bytes"));
                } else if (keep > 0 && (keptBytes += keep) > MAX_KEPT_BYTES) {
                    problems.limit(new Problem("metadata-too-large", null, "manifests and SKILL.md files hold more than " + MAX_KEPT_BYTES + " bytes together"));
                    break;
                } else if (keep > 0) {
                    kept.put(path, tar.readNBytes(keep));
                }
            }
        } catch (Budget.Exceeded e) {
            problems.limit(new Problem("content-too-large", null, "the archive unpacks to more than " + MAX_CONTENT_BYTES + " bytes"));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new Problem("corrupt-archive", null, "not a readable .tgz: " + shown(String.valueOf(e.getMessage()))));
        }
        return stripTopDirectory(new PluginArchive(kept, paths, problems.list()));
    }

    /**
     * A {@code .tgz} as tar entries, at a bounded cost: decompression stops past the content budget, and long
     * names or PAX headers bigger than a page are refused unread. Also how the Codex view reads stored archives.
     */
    public static TarArchiveInputStream tar(InputStream tgz) throws IOException {
        return new dev.cxpm.core.pack.BoundedTar(new Budget(new GZIPInputStream(tgz, 64 * 1024)));
    }

    /**
     * How many bytes of this file to keep: what the server reads (manifests, component files at the plugin
     * root, the head of each skill's SKILL.md), 0 for the rest, -1 for a file it must read whole that is too big.
     */
    private static int keptSize(String path, long size) {
        int slash = path.indexOf('/');
        String inPlugin = slash < 0 ? path : path.substring(slash + 1);
        if (inPlugin.matches("skills/[^/]+/SKILL\\.md")) {
            return (int) Math.min(size, SKILL_HEAD);
        }
        if (MANIFESTS.contains(inPlugin) || inPlugin.equals("plugin.json") || inPlugin.equals(".mcp.json") || inPlugin.equals(".app.json")) {
            return size > MAX_KEPT_FILE ? -1 : (int) size;
        }
        return 0;
    }

    /** The entry's path as written (backslashes and control characters refused), or null with a problem. */
    private static String cleanPath(String name, Problems problems) {
        if (name.length() > MAX_PATH || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || name.indexOf('\\') >= 0) {
            problems.add(new Problem("bad-path", shown(name), "path too long, or with a backslash or a control character"));
            return null;
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            problems.add(new Problem("absolute-path", name, "absolute paths are not allowed in an archive"));
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                problems.add(new Problem("path-traversal", name, "'..' is not allowed in archive paths"));
                return null;
            }
            if (GitReservedNames.isReserved(part)) {
                problems.add(new Problem("git-reserved-name", name, "'" + part + "' is a name git treats specially (.git, .gitmodules,"
                        + " .gitattributes or a look-alike); the registry serves plugins through git, so none may hold one:"
                        + " delete it or list it in .cxpmignore"));
                return null;
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    /** A name from a tar header as a problem may show it: bounded, control characters escaped. */
    private static String shown(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        StringBuilder b = new StringBuilder(t.length());
        t.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return b.toString();
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

    /**
     * The first {@link #MAX_PROBLEMS} problems, then one that counts the rest: an answer stays small. The limit
     * that stopped reading is always listed, last, as it explains why there may be more.
     */
    static final class Problems {
        private final List<Problem> list = new ArrayList<>();
        private int more;
        private Problem limit;

        void limit(Problem p) {
            limit = p;
        }

        void add(Problem p) {
            if (list.size() < MAX_PROBLEMS) {
                list.add(p);
            } else {
                more++;
            }
        }

        List<Problem> list() {
            List<Problem> out = new ArrayList<>(list);
            if (more > 0) {
                out.add(new Problem("more-problems", null, "and " + more + " more problem(s) of the same kinds"));
            }
            if (limit != null) {
                out.add(limit);
            }
            return out;
        }
    }

    /** Stops decompressing once more than {@link #MAX_DECOMPRESSED} bytes came out: a bomb ends early. */
    private static final class Budget extends FilterInputStream {
        static final class Exceeded extends IOException {
            Exceeded() {
                super("decompressed size over the limit");
            }
        }

        private long left = MAX_DECOMPRESSED;

        Budget(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new Exceeded();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new Exceeded();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if ((left -= s) < 0) {
                throw new Exceeded();
            }
            return s;
        }
    }
}
