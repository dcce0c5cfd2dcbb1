package dev.cxpm.core.lock;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** One {@code [[plugin]]} of cxpm.lock: exactly what to install and how to check it. */
public record LockedPlugin(String name, PluginVersion version, String marketplace, ResolvedSource source,
        Integrity integrity, SortedMap<String, VersionRange> dependencies) {

    public LockedPlugin {
        dependencies = Collections.unmodifiableSortedMap(new TreeMap<>(dependencies));
    }

    public String id() {
        return name + "@" + version;
    }
}
