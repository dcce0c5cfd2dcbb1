package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Marketplace;
import dev.cxpm.core.format.MarketplaceEntry;
import dev.cxpm.core.format.InstallPolicy;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.lock.ResolvedSource;
import dev.cxpm.core.resolve.PluginIndex;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases a project can choose from: every plugin of the marketplaces it can see (those in
 * cxpm.toml and those configured in the Codex home). A marketplace offers one version of each
 * plugin, the one its directory holds; a plugin pinned to a marketplace in cxpm.toml is looked up
 * there only. Plugins whose source Codex fetches at install time (git, npm) are not offered yet.
 */
public final class ProjectIndex implements PluginIndex {

    /** A marketplace as the index reads it; {@code gitUrl}/{@code commit} set for git clones. */
    public record Source(String name, Marketplace marketplace, Optional<String> gitUrl, Optional<String> commit) {
    }

    /** A release and where its files are. */
    public record Found(PluginRelease release, Path dir, ResolvedSource source) {
    }

    private final List<Source> sources;
    private final Map<String, String> pins;
    private final Map<String, List<Found>> cache = new HashMap<>();

    public ProjectIndex(List<Source> sources, Map<String, String> pins) {
        this.sources = List.copyOf(sources);
        this.pins = Map.copyOf(pins);
    }

    public List<Source> sources() {
        return sources;
    }

    @Override
    public List<PluginRelease> releases(String plugin) {
        return found(plugin).stream().map(Found::release).toList();
    }

    /** The files of a release this index offered. */
    public Found find(PluginRelease release) {
        return found(release.name()).stream().filter(f -> f.release().equals(release)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not offered by this index: " + release));
    }

    /** Every release of the plugin, or of the one with this name in the given marketplace. */
    public List<Found> found(String plugin) {
        return cache.computeIfAbsent(plugin, this::load);
    }

    private List<Found> load(String plugin) {
        List<Found> out = new ArrayList<>();
        String pin = pins.get(plugin);
        for (Source s : sources) {
            if (pin != null && !pin.equals(s.name())) {
                continue;
            }
            Optional<MarketplaceEntry> entry = s.marketplace().plugin(plugin);
            if (entry.isEmpty() || entry.get().installPolicy() == InstallPolicy.NOT_AVAILABLE) {
                continue;
            }
            if (!(entry.get().source() instanceof PluginSource.Local local)) {
                continue;
            }
            Path dir = s.marketplace().localPluginDir(local);
            Plugin p;
            try {
                p = Plugin.load(dir);
            } catch (UserError e) {
                continue; // Codex reports a broken entry only at install; the resolver just cannot offer it
            }
            String version = p.version().orElse("local");
            PluginRelease release = new PluginRelease(plugin, PluginVersion.of(version), PluginDependencies.of(p), s.name());
            ResolvedSource source = s.gitUrl().isPresent() && s.commit().isPresent()
                    ? new ResolvedSource.GitCommit(s.gitUrl().get(), Optional.of(local.path().substring(2)), s.commit().get())
                    : new ResolvedSource.LocalPath(local.path());
            out.add(new Found(release, dir, source));
        }
        return out;
    }
}
