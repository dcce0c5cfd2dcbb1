package dev.cxpm.core.lock;

import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.RunHash;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * cxpm.lock read straight from its text when the text is exactly what {@link Lockfile#toText} writes, with every value
 * one the full read accepts: the same plugins as the full read ({@link Lockfile#from}, through the TOML tree), without
 * the tree. Anything else (a comment, a blank or a space where cxpm writes none, an escape, a line in another order, a
 * value the full read refuses, a plugin locked twice, a dependency not locked) is not read here ({@code null}): the full
 * read then reads it and tells what is wrong, as it did. The TOML tree and its walk were ~15 ms of a fresh JVM's read of a
 * lock of 1,000 plugins, interpreted, while the main thread waited for it.
 */
final class LockText {
    private final String text;
    private int at;

    private LockText(String text) {
        this.text = text;
    }

    /** The lockfile text holds, or null when the full read must read it. */
    static Lockfile read(String text) {
        try {
            return new LockText(text).lockfile();
        } catch (RuntimeException e) {
            return null; // what the full read's checks refuse, or throw, they do there
        }
    }

    private Lockfile lockfile() {
        if (!skip(Lockfile.HEADER) || !skip("version = " + Lockfile.FORMAT + "\n")) {
            return null;
        }
        TreeMap<String, LockedPlugin> plugins = new TreeMap<>();
        while (at < text.length()) {
            LockedPlugin p = plugin();
            if (p == null || plugins.putIfAbsent(p.name(), p) != null) {
                return null;
            }
        }
        for (LockedPlugin p : plugins.values()) {
            for (String dep : p.dependencies().keySet()) {
                if (!plugins.containsKey(dep)) {
                    return null;
                }
            }
        }
        return new Lockfile(plugins);
    }

    /** One {@code [[plugin]]} table, its fields in toText's order; null when it is not one the full read takes as it is. */
    private LockedPlugin plugin() {
        if (!skip("\n[[plugin]]\n")) {
            return null;
        }
        String name = field("name");
        String version = field("version");
        String marketplace = field("marketplace");
        String sourceText = field("source");
        String integrityText = field("integrity");
        // the name, marketplace and version are checked where the full read checks them (PluginName, MarketplaceName,
        // VersionDir of the stripped version): by LockedPlugin's constructor below, whose refusal is read() catching it
        if (name == null || version == null || marketplace == null || sourceText == null || integrityText == null) {
            return null;
        }
        Optional<ResolvedSource> source = ResolvedSource.parse(sourceText);
        Integrity integrity;
        try {
            integrity = Integrity.parse(integrityText);
        } catch (UserError e) {
            return null;
        }
        Optional<RunHash> approved = Optional.empty();
        if (text.startsWith("approved = ", at)) {
            String a = field("approved");
            approved = a == null ? Optional.empty() : RunHash.parse(a);
            if (approved.isEmpty()) {
                return null;
            }
        }
        Optional<String> registryKey = Optional.empty();
        if (text.startsWith("registry-key = ", at)) {
            String k = field("registry-key");
            if (k == null || !LockedPlugin.isKeyId(k) || source.isPresent() && !(source.get() instanceof ResolvedSource.Registry)) {
                return null;
            }
            registryKey = Optional.of(k);
        }
        SortedMap<String, VersionRange> deps = dependencies();
        if (source.isEmpty() || deps == null) {
            return null;
        }
        return new LockedPlugin(name, PluginVersion.of(version), marketplace, source.get(), integrity, deps, approved, registryKey);
    }

    /**
     * {@code dependencies = {}} or {@code dependencies = { a = "^1", b = "~2" }} and its newline, each key bare and named as
     * the full read takes it, each range valid; null otherwise.
     */
    private SortedMap<String, VersionRange> dependencies() {
        if (skip("dependencies = {}\n")) {
            return Collections.emptySortedMap();
        }
        if (!skip("dependencies = { ")) {
            return null;
        }
        SortedMap<String, VersionRange> deps = new TreeMap<>();
        while (true) {
            int start = at;
            while (at < text.length() && bare(text.charAt(at))) {
                at++;
            }
            String key = text.substring(start, at);
            if (key.isEmpty() || PluginName.problem(key).isPresent() || !skip(" = ")) {
                return null;
            }
            String range = string();
            Optional<VersionRange> r = range == null ? Optional.empty() : VersionRange.parse(range);
            if (r.isEmpty() || deps.put(key, r.get()) != null) {
                return null;
            }
            if (skip(" }\n")) {
                return deps;
            }
            if (!skip(", ")) {
                return null;
            }
        }
    }

    /** The line {@code KEY = "VALUE"}, VALUE not blank; null when the next line is not that. */
    private String field(String key) {
        if (!text.startsWith(key, at) || !text.startsWith(" = ", at + key.length())) {
            return null;
        }
        at += key.length() + 3;
        String value = string();
        return value == null || value.isBlank() || !skip("\n") ? null : value;
    }

    /**
     * A basic string of printable ASCII with nothing to unescape (no quote, backslash or control character inside), what
     * TOML reads as it stands; null for anything else.
     */
    private String string() {
        if (!skip("\"")) {
            return null;
        }
        int start = at;
        for (; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '"') {
                return text.substring(start, at++);
            }
            if (c < 0x20 || c >= 0x7f || c == '\\') {
                return null;
            }
        }
        return null;
    }

    private static boolean bare(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    private boolean skip(String s) {
        if (!text.startsWith(s, at)) {
            return false;
        }
        at += s.length();
        return true;
    }
}
