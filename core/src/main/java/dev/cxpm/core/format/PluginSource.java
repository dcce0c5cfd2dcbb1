package dev.cxpm.core.format;

import java.util.Optional;

/** Where a marketplace entry's plugin comes from, in each form the real Codex CLI reads (SPEC.md §3). */
public sealed interface PluginSource {
    /** A directory inside the marketplace, as written ({@code "./plugins/x"}). */
    record Local(String path) implements PluginSource {
    }

    /** The {@code "url"} source: a whole git repository. */
    record Git(String url, Optional<String> ref) implements PluginSource {
    }

    /** A directory of a git repository. */
    record GitSubdir(String url, String path, Optional<String> ref) implements PluginSource {
    }

    /** An npm package. */
    record Npm(String packageName, Optional<String> version, Optional<String> registry) implements PluginSource {
    }
}
