package dev.cxpm.core.resolve;

import java.util.Map;
import java.util.TreeMap;

/**
 * One installable version of a plugin as an index knows it: its dependencies (plugin name to range,
 * from the manifest's {@code dependencies}) and where it comes from (opaque to the resolver).
 */
public record PluginRelease(String name, PluginVersion version, Map<String, VersionRange> dependencies, String origin) {

    public PluginRelease {
        dependencies = java.util.Collections.unmodifiableMap(new TreeMap<>(dependencies));
    }

    /** "name@version", the way conflicts and {@code why} name a release. */
    public String id() {
        return name + "@" + version;
    }
}
