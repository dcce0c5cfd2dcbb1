package dev.cxpm.core.project;

import dev.cxpm.core.resolve.VersionRange;
import java.util.Optional;

/**
 * A plugin the project needs: {@code github = "^1.2"} or
 * {@code linter = { version = "~2.0", marketplace = "team", enabled = false }} in cxpm.toml.
 */
public record PluginRequirement(String name, VersionRange range, Optional<String> marketplace, boolean enabled, ManifestLine at) {

    /** The line of cxpm.toml it is declared on. */
    public int line() {
        return at.number();
    }
}
