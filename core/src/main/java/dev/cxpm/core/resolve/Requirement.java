package dev.cxpm.core.resolve;

import java.util.Optional;

/**
 * "This plugin must be in this range", and who said so: the project's {@code cxpm.toml} (when
 * {@code by} is empty) or a release that depends on it.
 */
public record Requirement(String plugin, VersionRange range, Optional<PluginRelease> by) {

    public static final String PROJECT = "cxpm.toml";

    public static Requirement fromProject(String plugin, VersionRange range) {
        return new Requirement(plugin, range, Optional.empty());
    }

    public static Requirement fromRelease(String plugin, VersionRange range, PluginRelease by) {
        return new Requirement(plugin, range, Optional.of(by));
    }

    public String requirer() {
        return by.map(PluginRelease::id).orElse(PROJECT);
    }

    /** "a@1.2.0 needs b ^2". */
    @Override
    public String toString() {
        return requirer() + " needs " + plugin + " " + range;
    }
}
