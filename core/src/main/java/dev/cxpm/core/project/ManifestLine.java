package dev.cxpm.core.project;

import dev.cxpm.core.toml.TomlSource;

/**
 * The line of cxpm.toml a declaration was written on, found when first asked for: only {@code why} and a message about
 * the declaration ask, and finding every plugin's line on each read (the file's line index, a key path per plugin) was a
 * serial stretch of every cold sync (~12 ms of interpreted CPU at 1,000 plugins).
 */
public final class ManifestLine {

    private final TomlSource toml;
    private final String[] keyPath;

    ManifestLine(TomlSource toml, String... keyPath) {
        this.toml = toml;
        this.keyPath = keyPath;
    }

    /** The line number (1-based), or 0 when it is not known. */
    public int number() {
        return toml.lineOf(keyPath);
    }

    @Override
    public String toString() {
        return Integer.toString(number());
    }
}
