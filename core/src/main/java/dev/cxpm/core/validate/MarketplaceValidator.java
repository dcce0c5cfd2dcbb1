package dev.cxpm.core.validate;

import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestLocation;
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
        Read read = read(root, codexFile.get(), claudeOnly, p);
        if (read == null) {
            return p.list();
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
                checkLocal(m, read.lines().getOrDefault(e.name(), 0), e, local, p);
            }
        }
        return p.list();
    }

    /** The manifest as read, and the line of each name's first entry: what the checks need, not the parsed file. */
    private record Read(Marketplace marketplace, java.util.Map<String, Integer> lines) {
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

    private static void checkLocal(Marketplace m, int line, MarketplaceEntry e, PluginSource.Local local, Problems p) {
        Path file = m.manifestFile();
        Path dir = m.localPluginDir(local);
        if (!Files.isDirectory(dir)) {
            p.strict("marketplace.plugin-missing", file, line, "plugin `" + e.name() + "`: directory " + local.path()
                    + " does not exist (Codex fails at plugin add)", "fix the source path or add the plugin");
            return;
        }
        if (!PluginPaths.isInside(m.root(), dir)) {
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
