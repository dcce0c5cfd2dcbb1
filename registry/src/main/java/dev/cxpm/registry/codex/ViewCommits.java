package dev.cxpm.registry.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.publish.PublishedPlugin;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The commits of the Codex view ({@link CodexMarketplace}), made by its builder thread alone: what changed among the
 * plugins asked for goes into a new commit through {@code git fast-import} ({@link FastImportStream}), then main is
 * pinned to the parentless snapshot of that commit's tree. Holds, between builds, the view's marketplace.json entries
 * and the archives found uncarriable.
 */
final class ViewCommits {
    /** CodexMarketplace's logger: what the view leaves out is logged under the view's name, as it always was. */
    private static final System.Logger LOG = System.getLogger(CodexMarketplace.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final String MAIN = "refs/heads/main";
    private static final String MANIFEST = ".agents/plugins/marketplace.json";

    private final Registry registry;
    private final GitRepository git;
    private final String name;
    // the view's entries by plugin name (null: read them from the repository)
    private TreeMap<String, byte[]> entries;
    /** name to version of archives found uncarriable, not tried again until the plugin changes. */
    private final Map<String, String> leftOut = new HashMap<>();

    ViewCommits(Registry registry, GitRepository git, String name) {
        this.registry = registry;
        this.git = git;
        this.name = name;
    }


    /**
     * Writes a commit with what changed among {@code names} (among all plugins when {@code all}) and pins main to
     * its snapshot; true when main moved (or was made).
     */
    boolean write(boolean all, Set<String> names) throws IOException {
        if (!Files.isDirectory(git.dir.resolve("objects"))) {
            Files.createDirectories(git.dir);
            git.run("init", "-q", "--bare", "-b", "main", git.dir.toString());
        }
        boolean hasMain = !git.text("rev-parse", "-q", "--verify", MAIN).isEmpty();
        if (entries == null) {
            entries = hasMain ? readEntries() : new TreeMap<>();
            all = true;
        }
        Map<String, PluginRow> wanted = new TreeMap<>();
        if (all) {
            for (PluginRow row : allPlugins()) {
                wanted.put(row.name(), row);
            }
            for (String gone : entries.keySet()) {
                wanted.putIfAbsent(gone, null);
            }
        } else {
            names.forEach(n -> wanted.put(n, registry.plugin(n).orElse(null)));
        }
        wanted.entrySet().removeIf(e -> unchanged(e.getKey(), e.getValue()));
        boolean changed = !wanted.isEmpty() || !hasMain;
        if (changed) {
            writeCommit(wanted, hasMain);
        }
        changed |= pinSnapshot();
        return changed;
    }

    /** After a failed build: the entries are read again from the repository. */
    void forget() {
        entries = null;
    }

    /**
     * Points main at the snapshot commit of its tree ({@link GitRepository#snapshotOf}) instead of the commit fast-import
     * wrote, whose parent and date are this server's own history: servers sharing a database then serve the same commit.
     * True when main moved.
     */
    private boolean pinSnapshot() {
        String[] headAndTree = git.text("rev-parse", MAIN, MAIN + "^{tree}").split("\n");
        if (headAndTree.length != 2) {
            throw new IllegalStateException("the Codex marketplace view has no " + MAIN);
        }
        String snapshot = git.snapshotOf(headAndTree[1].trim());
        if (snapshot.equals(headAndTree[0].trim())) {
            return false;
        }
        git.run("update-ref", MAIN, snapshot, headAndTree[0].trim());
        return true;
    }

    private boolean unchanged(String plugin, PluginRow row) {
        if (row == null || row.latestVersion() == null || !PublishedPlugin.isName(plugin)) {
            return !entries.containsKey(plugin);
        }
        return java.util.Arrays.equals(entry(row), entries.get(plugin)) || row.latestVersion().equals(leftOut.get(plugin));
    }

    /** The plugin's line in marketplace.json: compact, so the view holds a few hundred bytes per plugin. */
    private static byte[] entry(PluginRow row) {
        ObjectNode e = COMPACT.createObjectNode().put("name", row.name()).put("source", "./" + CodexMarketplace.pluginPath(row.name()));
        if (row.category() != null) {
            e.put("category", row.category());
        }
        return compact(e.put("description", row.description()).put("version", row.latestVersion()));
    }

    private static byte[] compact(JsonNode node) {
        try {
            return COMPACT.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole marketplace.json, one plugin a line (a change rewrites one line, which git stores as a small delta). */
    private byte[] manifest() throws IOException {
        ObjectNode head = JSON.createObjectNode().put("name", name);
        head.putObject("interface").put("displayName", "cxpm registry");
        String top = JSON.writeValueAsString(head);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + entries.size() * 200);
        out.write(top.substring(0, top.lastIndexOf('}')).stripTrailing().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write(",\n  \"plugins\" : [".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String sep = "\n    ";
        for (byte[] e : entries.values()) {
            out.write(sep.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(e);
            sep = ",\n    ";
        }
        out.write("\n  ]\n}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private void writeCommit(Map<String, PluginRow> changes, boolean hasMain) throws IOException {
        Process p = git.start("fast-import", "--quiet", "--done");
        try (OutputStream raw = new BufferedOutputStream(p.getOutputStream(), 64 * 1024)) {
            FastImportStream out = new FastImportStream(raw);
            out.commit(MAIN, hasMain, System.currentTimeMillis() / 1000);
            for (var change : changes.entrySet()) {
                String plugin = change.getKey();
                out.delete("plugins/" + plugin); // the flat layout of older registries, replaced at the first build
                out.delete(CodexMarketplace.pluginPath(plugin));
                entries.remove(plugin);
                leftOut.remove(plugin);
                PluginRow row = change.getValue();
                if (row != null && row.latestVersion() != null && PublishedPlugin.isName(plugin)) {
                    if (writePlugin(out, row)) {
                        entries.put(plugin, entry(row));
                    } else {
                        leftOut.put(plugin, row.latestVersion());
                    }
                }
            }
            out.file(MANIFEST, manifest());
            out.done();
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        if (GitRepository.waitFor(p) != 0) {
            throw new IllegalStateException("git fast-import failed building the Codex marketplace view");
        }
    }

    /** Streams the plugin's latest version into the commit; false when it cannot be carried. */
    private boolean writePlugin(FastImportStream out, PluginRow row) throws IOException {
        Optional<VersionRow> version = registry.versions(row.name()).stream().filter(v -> v.version().equals(row.latestVersion())).findFirst();
        if (version.isEmpty()) {
            return false;
        }
        try (InputStream blob = registry.blob(version.get().integrity()).orElse(null)) {
            if (blob == null) {
                LOG.log(System.Logger.Level.WARNING, "Codex view: no blob for " + row.name() + "@" + row.latestVersion() + "; left out");
                return false;
            }
            out.plugin(CodexMarketplace.pluginPath(row.name()), blob);
            return true;
        } catch (FastImportStream.Uncarried e) {
            LOG.log(System.Logger.Level.WARNING, "Codex view: " + row.name() + "@" + row.latestVersion()
                    + " left out, its archive cannot be carried by git (" + e.getMessage() + ")");
            return false;
        }
    }

    /** The entries of the view's current marketplace.json: what the view holds, by plugin. */
    private TreeMap<String, byte[]> readEntries() throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        byte[] json = git.output("cat-file", "blob", MAIN + ":" + MANIFEST);
        if (json.length == 0) {
            return out;
        }
        for (JsonNode e : JSON.readTree(json).path("plugins")) {
            if (e instanceof ObjectNode o && o.path("name").isTextual()) {
                out.put(o.get("name").asText(), compact(o));
            }
        }
        return out;
    }

    private List<PluginRow> allPlugins() {
        List<PluginRow> all = new java.util.ArrayList<>();
        for (List<PluginRow> page = registry.pluginsAfter(null, 1000); !page.isEmpty();
                page = registry.pluginsAfter(page.get(page.size() - 1).name(), 1000)) {
            all.addAll(page);
        }
        return all;
    }
}
