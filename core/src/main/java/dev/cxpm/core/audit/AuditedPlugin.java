package dev.cxpm.core.audit;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An installed plugin as an audit sees it: its id ({@code name@marketplace}), installed version and directory, and its
 * manifest read once for every check ({@code manifest} is empty when Codex could not read it either: such a plugin runs
 * nothing, so the checks of what it runs pass it by, while the file checks still read its files).
 */
public record AuditedPlugin(String name, String marketplace, String version, Path dir, boolean enabled, Optional<Plugin> manifest) {

    /** Reads the manifest in {@code dir} once. */
    public static AuditedPlugin read(String name, String marketplace, String version, Path dir, boolean enabled) {
        Optional<Plugin> manifest;
        try {
            manifest = Optional.of(Plugin.load(dir));
        } catch (UserError | UncheckedIOException e) {
            manifest = Optional.empty();
        }
        return new AuditedPlugin(name, marketplace, version, dir, enabled, manifest);
    }

    public String id() {
        return name + "@" + marketplace;
    }
}
