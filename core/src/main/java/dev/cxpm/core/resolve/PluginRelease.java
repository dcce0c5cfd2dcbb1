package dev.cxpm.core.resolve;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One installable version of a plugin as an index knows it: its dependencies (plugin name to range,
 * from the manifest's {@code dependencies}) and where it comes from (opaque to the resolver).
 */
public record PluginRelease(String name, PluginVersion version, Map<String, VersionRange> dependencies, String origin) {

    public PluginRelease {
        dependencies = java.util.Collections.unmodifiableMap(new TreeMap<>(dependencies));
    }

    /**
     * Written out: a record's generated equals and hashCode are bootstrapped through ObjectMethods on first use, several
     * ms of method handles spun on a fresh JVM, and a first sync compares each selected release with its offers
     * (ColdPathTest).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PluginRelease r && Objects.equals(r.name, name) && Objects.equals(r.version, version)
                && r.dependencies.equals(dependencies) && Objects.equals(r.origin, origin);
    }

    @Override
    public int hashCode() {
        return ((Objects.hashCode(name) * 31 + Objects.hashCode(version)) * 31 + dependencies.hashCode()) * 31 + Objects.hashCode(origin);
    }

    /** "name@version", the way conflicts and {@code why} name a release. */
    public String id() {
        return name + "@" + version;
    }
}
