package dev.cxpm.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.registry.RegistryDatabase.PluginRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The registry as a Codex marketplace, for a real Codex CLI with no cxpm installed. Codex adds
 * marketplaces from local directories and git URLs only, so the registry keeps a bare git
 * repository ({@code DIR/codex-marketplace.git}) holding {@code .agents/plugins/marketplace.json}
 * and the latest non-yanked version of every plugin under {@code plugins/NAME}, served read-only
 * over git's "dumb" HTTP protocol: {@code codex plugin marketplace add URL/codex/marketplace.git}.
 * It is rebuilt lazily, on the first git request after a publish or yank, as a new commit, so
 * {@code codex plugin marketplace upgrade} fast-forwards. Needs the {@code git} command.
 */
final class CodexMarketplace {

    static final String URL_PATH = "/codex/marketplace.git";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Registry registry;
    private final Path repo;
    private final String name;
    private final AtomicBoolean dirty = new AtomicBoolean(true);

    CodexMarketplace(Registry registry, Path repo, String name) {
        this.registry = registry;
        this.repo = repo;
        this.name = name;
        registry.onChange(() -> dirty.set(true));
    }

    String name() {
        return name;
    }

    /** A file of the bare repository (after a rebuild when something changed), or empty. */
    Optional<Path> file(String relative) {
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
                git(repo.getParent(), "init", "-q", "--bare", "-b", "main", repo.toString());
            }
            Path work = Files.createTempDirectory(repo.getParent(), ".codex-marketplace-");
            try {
                writeTree(work);
                git(work, "--git-dir=" + repo, "--work-tree=" + work, "add", "-A");
                boolean hasHead = run(work, "--git-dir=" + repo, "rev-parse", "-q", "--verify", "HEAD") == 0;
                boolean changed = !hasHead || run(work, "--git-dir=" + repo, "--work-tree=" + work, "diff", "--cached", "--quiet") != 0;
                if (changed) {
                    git(work, "--git-dir=" + repo, "--work-tree=" + work, "-c", "user.name=cxpm registry",
                            "-c", "user.email=registry@cxpm.invalid", "commit", "-q", "-m", "registry snapshot");
                }
                git(work, "--git-dir=" + repo, "update-server-info");
            } finally {
                deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTree(Path work) throws IOException {
        ObjectNode manifest = JSON.createObjectNode().put("name", name);
        manifest.putObject("interface").put("displayName", "cxpm registry");
        ArrayNode plugins = manifest.putArray("plugins");
        Unpacker unpacker = new Unpacker();
        for (PluginRow p : allPlugins()) {
            var version = registry.versions(p.name()).stream().filter(v -> v.version().equals(p.latestVersion())).findFirst();
            if (version.isEmpty()) {
                continue;
            }
            Path tgz = Files.createTempFile(work.getParent(), ".codex-blob-", ".tgz");
            try (InputStream in = registry.blob(version.get().integrity()).orElse(null)) {
                if (in == null) {
                    continue;
                }
                Files.copy(in, tgz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                unpacker.unpack(tgz, work.resolve("plugins").resolve(p.name()));
            } finally {
                Files.deleteIfExists(tgz);
            }
            ObjectNode e = plugins.addObject().put("name", p.name()).put("source", "./plugins/" + p.name());
            if (p.category() != null) {
                e.put("category", p.category());
            }
            e.put("description", p.description()).put("version", p.latestVersion());
        }
        Path file = work.resolve(".agents/plugins/marketplace.json");
        Files.createDirectories(file.getParent());
        Files.write(file, JSON.writeValueAsBytes(manifest));
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

    private static void git(Path dir, String... args) {
        if (run(dir, args) != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed");
        }
    }

    private static int run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new RegistryException(503, "git-missing", "the Codex marketplace view needs the git command on the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static byte[] read(Path file) {
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
