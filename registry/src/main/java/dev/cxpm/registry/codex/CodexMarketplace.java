package dev.cxpm.registry.codex;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.GitReservedNames;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.publish.PublishedPlugin;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The registry as a Codex marketplace, for a real Codex CLI with no cxpm installed. Codex adds
 * marketplaces from local directories and git URLs only, so the registry keeps a bare git
 * repository ({@code DIR/codex-marketplace.git}) holding {@code .agents/plugins/marketplace.json}
 * and the latest non-yanked version of every plugin under {@code plugins/NAME}, served read-only
 * over git's "dumb" HTTP protocol: {@code codex plugin marketplace add URL/codex/marketplace.git}.
 * It is rebuilt lazily, on the first git request after a publish or yank, as a new commit (written with
 * {@code git fast-import} from the stored archives, so no publisher's file is ever read by git as its own), so
 * {@code codex plugin marketplace upgrade} fast-forwards. Needs the {@code git} command.
 */
public final class CodexMarketplace {

    public static final String URL_PATH = "/codex/marketplace.git";

    private static final System.Logger LOG = System.getLogger(CodexMarketplace.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Registry registry;
    private final Path repo;
    private final String name;
    private final AtomicBoolean dirty = new AtomicBoolean(true);

    public CodexMarketplace(Registry registry, Path repo, String name) {
        this.registry = registry;
        this.repo = repo;
        this.name = name;
        registry.onChange(() -> dirty.set(true));
    }

    public String name() {
        return name;
    }

    /** A file of the bare repository (after a rebuild when something changed), or empty. */
    public Optional<Path> file(String relative) {
        if (relative.isEmpty() || relative.contains("..") || relative.startsWith("/") || relative.contains("\\")) {
            return Optional.empty();
        }
        refresh();
        Path f = repo.resolve(relative).normalize();
        return f.startsWith(repo) && Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    private synchronized void refresh() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        try {
            rebuild();
        } catch (RuntimeException e) {
            dirty.set(true);
            throw e;
        }
    }

    private void rebuild() {
        try {
            if (!Files.isDirectory(repo.resolve("objects"))) {
                Files.createDirectories(repo);
                git("init", "-q", "--bare", "-b", "main", repo.toString());
            }
            String previous = output("rev-parse", "-q", "--verify", "refs/heads/main^{tree}");
            writeSnapshot();
            String tree = output("rev-parse", "--verify", SNAPSHOT + "^{tree}");
            if (tree.isEmpty()) {
                throw new IllegalStateException("git fast-import left no snapshot for the Codex marketplace view");
            }
            if (!tree.equals(previous)) {
                String commit = previous.isEmpty() ? output("commit-tree", "-m", "registry snapshot", tree)
                        : output("commit-tree", "-p", "refs/heads/main", "-m", "registry snapshot", tree);
                git("update-ref", "refs/heads/main", commit);
            }
            git("update-ref", "-d", SNAPSHOT);
            git("update-server-info");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@link #writeSnapshot} puts its parentless commit, compared with main's tree and then dropped. */
    private static final String SNAPSHOT = "refs/cxpm/snapshot";

    /**
     * The whole view as one {@code git fast-import} stream: every file is written from the stored archive
     * by a path this class builds, never by git reading a directory a publisher filled ({@code git add} on
     * an unpacked {@code .git/} made every git request fail). A plugin whose archive cannot be carried
     * (a name git treats specially, a link, a broken archive: possible only in archives stored before the
     * publish rules refused them) is left out, with a line in the log, and the others are served.
     */
    private void writeSnapshot() throws IOException {
        ProcessBuilder pb = gitProcess("fast-import", "--quiet", "--force", "--done");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 64 * 1024)) {
            byte[] message = "registry snapshot".getBytes(StandardCharsets.UTF_8);
            out.write(("commit " + SNAPSHOT + "\ncommitter cxpm registry <registry@cxpm.invalid> 0 +0000\ndata "
                    + message.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(message);
            out.write('\n');
            ObjectNode manifest = JSON.createObjectNode().put("name", name);
            manifest.putObject("interface").put("displayName", "cxpm registry");
            ArrayNode plugins = manifest.putArray("plugins");
            for (PluginRow row : allPlugins()) {
                if (writePlugin(out, row)) {
                    ObjectNode e = plugins.addObject().put("name", row.name()).put("source", "./plugins/" + row.name());
                    if (row.category() != null) {
                        e.put("category", row.category());
                    }
                    e.put("description", row.description()).put("version", row.latestVersion());
                }
            }
            byte[] json = JSON.writeValueAsBytes(manifest);
            fileHeader(out, ".agents/plugins/marketplace.json", false, json.length);
            out.write(json);
            out.write("\ndone\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        }
        if (waitFor(p) != 0) {
            throw new IllegalStateException("git fast-import failed building the Codex marketplace view");
        }
    }

    /** Streams the plugin's latest version into the snapshot; false (and its files removed again) when it cannot be carried. */
    private boolean writePlugin(OutputStream out, PluginRow row) throws IOException {
        if (!PublishedPlugin.isName(row.name())) {
            return false;
        }
        var version = registry.versions(row.name()).stream().filter(v -> v.version().equals(row.latestVersion())).findFirst();
        if (version.isEmpty()) {
            return false;
        }
        String dir = "plugins/" + row.name() + "/";
        try (InputStream blob = registry.blob(version.get().integrity()).orElse(null)) {
            if (blob == null) {
                LOG.log(System.Logger.Level.WARNING, "Codex view: no blob for " + row.name() + "@" + row.latestVersion() + "; left out");
                return false;
            }
            TarArchiveInputStream tar = open(blob);
            int entries = 0;
            long bytes = 0;
            for (TarArchiveEntry e; (e = next(tar)) != null; ) {
                String path = pathInPlugin(e.getName());
                if (++entries > PluginArchive.MAX_ENTRIES || path == null || (bytes += e.getSize()) > PluginArchive.MAX_CONTENT_BYTES
                        || !(e.isDirectory() || (e.isFile() && !e.isSymbolicLink() && !e.isLink() && !e.isGNUSparse()))) {
                    throw new Uncarried("entry " + e.getName().replaceAll("\\p{Cntrl}", "?"));
                }
                if (e.isFile() && !path.isEmpty()) {
                    fileHeader(out, dir + path, (e.getMode() & 0100) != 0, e.getSize());
                    copyExactly(tar, out, e.getSize());
                }
            }
            return true;
        } catch (Uncarried e) {
            LOG.log(System.Logger.Level.WARNING, "Codex view: " + row.name() + "@" + row.latestVersion()
                    + " left out, its archive cannot be carried by git (" + e.getMessage() + ")");
            out.write(("D " + quoted(dir.substring(0, dir.length() - 1)) + "\n").getBytes(StandardCharsets.UTF_8));
            return false;
        }
    }

    /** Thrown for an archive the view cannot carry: its plugin is left out, the rest of the view is built. */
    private static final class Uncarried extends IOException {
        Uncarried(String why) {
            super(why);
        }
    }

    private static TarArchiveInputStream open(InputStream blob) throws Uncarried {
        try {
            return PluginArchive.tar(blob);
        } catch (IOException e) {
            throw new Uncarried("not gzip");
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) throws Uncarried {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new Uncarried("unreadable archive");
        }
    }

    /** The entry's path below the archive's top directory ("" for the top itself), or null when git could not carry it. */
    private static String pathInPlugin(String name) {
        String[] parts = name.split("/");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || GitReservedNames.isReserved(part) || part.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
                return null;
            }
            if (i > 0) {
                b.append(b.isEmpty() ? "" : "/").append(part);
            }
        }
        return name.startsWith("/") ? null : b.toString();
    }

    private static void fileHeader(OutputStream out, String path, boolean executable, long size) throws IOException {
        out.write(("M " + (executable ? "100755" : "100644") + " inline " + quoted(path) + "\ndata " + size + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A path in fast-import's C-style quotes (control characters never reach here). */
    private static String quoted(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Exactly the {@code size} bytes fast-import was promised. A short or broken archive is padded with zeros
     * so the stream stays well-formed, then reported, and its plugin's files are removed from the snapshot.
     */
    private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        String broken = null;
        while (left > 0) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                broken = "truncated archive";
                java.util.Arrays.fill(buf, (byte) 0);
                n = (int) Math.min(buf.length, left);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        out.write('\n');
        if (broken != null) {
            throw new Uncarried(broken);
        }
    }

    private List<PluginRow> allPlugins() {
        List<PluginRow> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Registry.SearchResult r = registry.search(null, null, page, Registry.MAX_PER_PAGE);
            all.addAll(r.plugins());
            if ((long) page * r.perPage() >= r.total()) {
                return all;
            }
        }
    }

    private void git(String... args) {
        try {
            if (waitFor(gitProcess(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()) != 0) {
                throw new IllegalStateException("git " + args[0] + " failed building the Codex marketplace view");
            }
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    /** What the git command printed, trimmed; empty when it failed. */
    private String output(String... args) {
        try {
            Process p = gitProcess(args).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return waitFor(p) == 0 ? out : "";
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    private static RegistryException noGit(IOException e) {
        LOG.log(System.Logger.Level.ERROR, "the Codex marketplace view needs the git command", e);
        return new RegistryException(503, "git-missing", "the Codex marketplace view needs the git command on the server");
    }

    /** git on the view's repository, with no system or user configuration and a fixed identity. */
    private ProcessBuilder gitProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + repo));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.getParent().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "cxpm registry");
        env.put("GIT_AUTHOR_EMAIL", "registry@cxpm.invalid");
        env.put("GIT_COMMITTER_NAME", "cxpm registry");
        env.put("GIT_COMMITTER_EMAIL", "registry@cxpm.invalid");
        return pb;
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(read(file), StandardCharsets.UTF_8);
    }
}
