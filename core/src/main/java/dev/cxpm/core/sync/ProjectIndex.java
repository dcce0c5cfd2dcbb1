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
 * there only. Plugins with a git source ("url", "git-subdir") are cloned to read them; npm sources are not offered yet.
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
    private final GitSources git;
    private final Map<String, List<Found>> cache = new HashMap<>();

    /** git: fetches plugins whose marketplace entry has a git source; null to offer local entries only. */
    public ProjectIndex(List<Source> sources, Map<String, String> pins, GitSources git) {
        this.sources = List.copyOf(sources);
        this.pins = Map.copyOf(pins);
        this.git = git;
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
            Path dir;
            ResolvedSource source;
            if (entry.get().source() instanceof PluginSource.Local local) {
                dir = s.marketplace().localPluginDir(local);
                source = s.gitUrl().isPresent() && s.commit().isPresent()
                        ? new ResolvedSource.GitCommit(s.gitUrl().get(), Optional.of(local.path().substring(2)), s.commit().get())
                        : new ResolvedSource.LocalPath(local.path());
            } else if (git != null && (entry.get().source() instanceof PluginSource.Git
                    || entry.get().source() instanceof PluginSource.GitSubdir)) {
                GitSources.Checkout c = git.checkout(entry.get().source()).orElseThrow();
                dir = c.dir();
                Optional<String> sub = entry.get().source() instanceof PluginSource.GitSubdir gs
                        ? Optional.of(gs.path().startsWith("./") ? gs.path().substring(2) : gs.path()) : Optional.empty();
                String url = entry.get().source() instanceof PluginSource.Git g ? g.url() : ((PluginSource.GitSubdir) entry.get().source()).url();
                source = new ResolvedSource.GitCommit(url, sub, c.commit());
            } else {
                continue; // npm sources are not offered yet
            }
            Plugin p;
            try {
                p = Plugin.load(dir);
            } catch (UserError e) {
                continue; // Codex reports a broken entry only at install; the resolver just cannot offer it
            }
            String version = p.version().orElse("local");
            PluginRelease release = new PluginRelease(plugin, PluginVersion.of(version), PluginDependencies.of(p), s.name());
            out.add(new Found(release, dir, source));
        }
        return out;
    }
}
