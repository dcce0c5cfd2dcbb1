package dev.cxpm.core.validate;

import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestLocation;
import dev.cxpm.core.format.marketplace.ManifestStream;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.format.PluginSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Validates a marketplace directory: the manifest Codex reads ({@code codex plugin marketplace add}: whole-file
 * errors are errors, entries Codex skips are warnings), Claude Code's rules for
 * {@code .claude-plugin/marketplace.json} when present, and cxpm's stricter checks of local entries (the plugin
 * directory exists, stays inside, has a manifest whose name matches the entry). A marketplace that has only a
 * {@code .claude-plugin} manifest is judged by Claude Code; Codex's rejections are then warnings.
 */
public final class MarketplaceValidator {
    private final boolean strict;

    public MarketplaceValidator(boolean strict) {
        this.strict = strict;
    }

    public ValidationReport report(Path marketplaceRoot) {
        return new ValidationReport(marketplaceRoot, "marketplace", validate(marketplaceRoot));
    }

    public List<Problem> validate(Path marketplaceRoot) {
        Path root = marketplaceRoot.toAbsolutePath().normalize();
        Problems p = new Problems(strict);
        Path claude = root.resolve(".claude-plugin/marketplace.json");
        Optional<Path> codexFile = Marketplace.findManifest(root);
        if (codexFile.isEmpty()) {
            p.error("marketplace.missing", root, 0, Marketplace.noManifest(root),
                    "create .agents/plugins/marketplace.json");
            return p.list();
        }
        boolean claudeOnly = codexFile.get().equals(claude);
        PluginValidator.Codex codex = new PluginValidator.Codex(p, !claudeOnly);
        if (Files.isRegularFile(claude)) {
            new ClaudeRules(p, root).marketplace(claude);
        }
        Path file = codexFile.get();
        byte[] bytes = JsonFile.bytesIfReadable(file);
        if (bytes == null || !streamed(root, file, bytes, codex, p)) {
            whole(root, file, claudeOnly, codex, p);
        }
        return p.list();
    }

    /**
     * Validates the manifest as it streams, one entry's tree at a time (its bytes, at most 8 MiB, and the problems held):
     * the findings and checks {@link #whole} makes, in its order (whole-file errors, skipped entries, then the local
     * entries' checks: a report keeps that order among problems of one line). False, nothing added, when the stream
     * leaves the text to be read whole.
     */
    private boolean streamed(Path root, Path file, byte[] bytes, PluginValidator.Codex codex, Problems p) {
        Problems errors = new Problems(strict);
        Problems skipped = new Problems(strict);
        Problems local = new Problems(strict);
        PluginValidator.Codex rejects = new PluginValidator.Codex(errors, codex.judges());
        EntryLines others = new EntryLines(); // a valid entry's line is its own, unless an entry not valid gave its name first
        Optional<List<Finding>> topLevel = ManifestStream.read(file, bytes, new ManifestStream.Visitor() {
            @Override
            public void error(Finding f) {
                rejects.reject(f.code(), f.file(), f.line(), f.message(), f.hint());
            }

            @Override
            public void skipped(Finding f) {
                skipped.strict(f.code(), f.file(), f.line(), f.message(), f.hint());
            }

            @Override
            public void entry(com.fasterxml.jackson.databind.JsonNode tree, int line, MarketplaceEntry e) {
                if (e == null) {
                    others.add(tree, line);
                } else if (e.source() instanceof PluginSource.Local l) {
                    checkLocal(root, file, others.lineOf(e.name(), line), e, l, local);
                }
            }
        });
        if (topLevel.isEmpty()) {
            return false;
        }
        for (Finding f : topLevel.get()) {
            codex.reject(f.code(), f.file(), f.line(), f.message(), f.hint());
        }
        p.addAll(errors.list());
        p.addAll(skipped.list());
        p.addAll(local.list());
        return true;
    }

    /** Validates the manifest read whole (its text, tree and spans): what the stream leaves to it. */
    private static void whole(Path root, Path file, boolean claudeOnly, PluginValidator.Codex codex, Problems p) {
        Read read = read(root, file, claudeOnly, p);
        if (read == null) {
            return;
        }
        Marketplace m = read.marketplace();
        for (Finding f : m.fileErrors()) {
            codex.reject(f.code(), f.file(), f.line(), f.message(), f.hint());
        }
        for (Finding f : m.skipped()) {
            p.strict(f.code(), f.file(), f.line(), f.message(), f.hint());
        }
        for (MarketplaceEntry e : m.plugins()) {
            if (e.source() instanceof PluginSource.Local local) {
                checkLocal(root, file, read.lines().lineOf(e.name()), e, local, p);
            }
        }
    }

    /** The manifest as read, and the line of each name's first entry: what the checks need, not the parsed file. */
    private record Read(Marketplace marketplace, EntryLines lines) {
    }

    /**
     * Reads the manifest; null (its problem added) when it is not JSON. The parsed file (text, tree and spans: ~100 MB
     * for 100,000 entries) is let go when this returns, before the checks of each local entry add their problems.
     */
    private static Read read(Path root, Path file, boolean claudeOnly, Problems p) {
        JsonFile json;
        switch (JsonFile.tryRead(file)) {
            case JsonFile.Parsed parsed -> json = parsed.file();
            case JsonFile.Failed failed -> {
                JsonFile.Failure f = failed.failure();
                if (!claudeOnly) {
                    p.unparsable(Severity.ERROR, "marketplace.invalid-json", f, "invalid marketplace file");
                }
                return null;
            }
        }
        return new Read(Marketplace.read(root, json), EntryLines.of(json));
    }

    private static void checkLocal(Path root, Path file, int line, MarketplaceEntry e, PluginSource.Local local, Problems p) {
        Path dir = Marketplace.localPluginDir(root, local);
        if (!Files.isDirectory(dir)) {
            p.strict("marketplace.plugin-missing", file, line, "plugin `" + e.name() + "`: directory " + local.path()
                    + " does not exist (Codex fails at plugin add)", "fix the source path or add the plugin");
            return;
        }
        if (!PluginPaths.isInside(root, dir)) {
            p.strict("marketplace.plugin-outside", file, line, "plugin `" + e.name() + "`: " + local.path()
                    + " leads outside the marketplace (symlink)", "keep plugins inside the marketplace directory");
            return;
        }
        Optional<ManifestLocation> loc = ManifestLocation.find(dir);
        if (loc.isEmpty()) {
            p.strict("marketplace.plugin-manifest-missing", file, line, "plugin `" + e.name() + "`: " + local.path()
                    + " has no plugin.json (Codex fails at plugin add: missing plugin.json)", "cxpm init " + local.path());
            return;
        }
        if (JsonFile.tryRead(loc.get().file()) instanceof JsonFile.Parsed parsed) {
            Plugin plugin = Plugin.of(dir, loc.get(), parsed.file());
            if (plugin.name().isPresent() && !plugin.name().get().equals(e.name())) {
                p.strict("name.marketplace-mismatch", file, line, "plugin `" + e.name() + "`: its plugin.json is named `"
                        + plugin.name().get() + "` (Codex refuses to install it)", "use the same name in both files");
            }
        }
    }
}
