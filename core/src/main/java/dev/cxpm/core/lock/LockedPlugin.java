package dev.cxpm.core.lock;

import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.approve.RunHash;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code [[plugin]]} of cxpm.lock: exactly what to install and how to check it. Its name, marketplace
 * and version become directories of the Codex home, so it cannot hold one that is path syntax. approved: the hash of
 * the run surface the project approved for it ({@code cxpm approve}), empty when none was (or it runs nothing).
 * registryKey: for a plugin from a cxpm registry, the id of the registry key that signed the index document it was
 * resolved from.
 */
public record LockedPlugin(String name, PluginVersion version, String marketplace, ResolvedSource source,
        Integrity integrity, SortedMap<String, VersionRange> dependencies, Optional<RunHash> approved, Optional<String> registryKey) {

    /**
     * A key id as cxpm.lock records it (what {@code RegistryKey.idOf} makes): 16 lower-case hex digits. Checked by hand,
     * not by a Pattern compiled when the class loads (every sync loads it: a regular expression compiles interpreted).
     */
    public static boolean isKeyId(String text) {
        return LowerHex.is(text, 16);
    }

    public LockedPlugin {
        if (registryKey.isPresent() && !isKeyId(registryKey.get())) { // no lambda: made once per locked plugin
            throw new IllegalArgumentException("not a registry key id: " + registryKey.get());
        }
        PluginName.of(name);
        MarketplaceName.of(marketplace);
        VersionDir.of(version.text());
        // most plugins depend on nothing: one shared empty map, not a copy and a view of one per plugin
        dependencies = dependencies.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(dependencies));
    }

    /** A plugin no approval was recorded for yet. */
    public LockedPlugin(String name, PluginVersion version, String marketplace, ResolvedSource source,
            Integrity integrity, SortedMap<String, VersionRange> dependencies) {
        this(name, version, marketplace, source, integrity, dependencies, Optional.empty(), Optional.empty());
    }

    public LockedPlugin withApproved(Optional<RunHash> hash) {
        return new LockedPlugin(name, version, marketplace, source, integrity, dependencies, hash, registryKey);
    }

    /** The same plugin, resolved from an index document signed by the key with this id. */
    public LockedPlugin withRegistryKey(Optional<String> keyId) {
        return new LockedPlugin(name, version, marketplace, source, integrity, dependencies, approved, keyId);
    }

    public String id() {
        return name + "@" + version;
    }

    /** {@code plugins/cache/<marketplace>/<name>} in home: every installed version of this plugin. */
    public Path pluginDirIn(CodexHome home) {
        return home.pluginDir(MarketplaceName.of(marketplace), PluginName.of(name));
    }

    /** {@code plugins/cache/<marketplace>/<name>/<version>} in home. */
    public Path versionDirIn(CodexHome home) {
        return home.versionDir(MarketplaceName.of(marketplace), PluginName.of(name), VersionDir.of(version.text()));
    }
}
