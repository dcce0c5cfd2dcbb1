package dev.cxpm.core.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.RunHash;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.Resolution;
import dev.cxpm.core.resolve.Requirement;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.toml.TomlStrings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code cxpm.lock}: the exact plugins a project installs, written by cxpm only. TOML like Cargo.lock,
 * one {@code [[plugin]]} table per plugin sorted by name, fields in a fixed order, so a change in code
 * review is a few lines. Reading is strict: a lockfile that was edited, truncated or has fields this
 * cxpm does not know is refused with its file, line and how to recover, before anything is touched.
 */
public final class Lockfile {

    public static final String FILE_NAME = "cxpm.lock";
    /** 2: integrity is the content's (paths, modes, bytes), not the archive's; format 1 hashed gzip output, which differs between zlib builds. */
    public static final int FORMAT = 2;

    static final String HEADER = """
            # This file is written by cxpm (`cxpm sync`, `cxpm update`, `cxpm add`): do not edit it by hand.
            # It pins every plugin of cxpm.toml to an exact version and content, so each clone installs the same bytes.
            """;
    static final String RECOVER = "cxpm.lock is written by cxpm only: restore it from version control "
            + "(`git checkout -- cxpm.lock`), or delete it and run `cxpm sync` to resolve it again";

    private static final Set<String> TOP_LEVEL = Set.of("version", "plugin");
    /**
     * The most problems a refusal lists: entries past them are not checked. A file of 15 MiB of broken entries listed 3.3
     * million (56 s and 4.2 GB in a JVM of its own; the daemon's 256 MB ran out).
     */
    static final int MAX_PROBLEMS = 100;
    private static final Set<String> PLUGIN_FIELDS = Set.of("name", "version", "marketplace", "source", "integrity", "approved",
            "registry-key", "dependencies");

    private final SortedMap<String, LockedPlugin> plugins;

    public Lockfile(Collection<LockedPlugin> plugins) {
        SortedMap<String, LockedPlugin> m = new TreeMap<>();
        plugins.forEach(p -> m.put(p.name(), p));
        this.plugins = Collections.unmodifiableSortedMap(m);
    }

    /** byName: each plugin by its name, made for this lockfile only (a read's: not sorted again, plugin by plugin). */
    Lockfile(TreeMap<String, LockedPlugin> byName) {
        this.plugins = Collections.unmodifiableSortedMap(byName);
    }

    public SortedMap<String, LockedPlugin> plugins() {
        return plugins;
    }

    /** The same lockfile with plugin name's {@code approved} set to hash. */
    public Lockfile withApproved(String name, RunHash hash) {
        List<LockedPlugin> out = new ArrayList<>(plugins.values());
        out.replaceAll(p -> p.name().equals(name) ? p.withApproved(Optional.of(hash)) : p);
        return new Lockfile(out);
    }

    /** cxpm.lock as a sync read it: what it holds, and its text (which the sync stamp records). */
    public record Read(Lockfile lock, String text) {
    }

    /** The lockfile in this project directory with its text, or empty when it has none. */
    public static Optional<Read> readWithTextIfPresent(Path projectDir) {
        Path file = projectDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = TomlSource.readText(file, RECOVER);
        return Optional.of(new Read(parse(file, text), text));
    }

    /** The lockfile in this project directory, or empty when it has none. */
    public static Optional<Lockfile> readIfPresent(Path projectDir) {
        Path file = projectDir.resolve(FILE_NAME);
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    public static Lockfile read(Path file) {
        return parse(file, TomlSource.readText(file, RECOVER));
    }

    /** The lockfile text holds: as cxpm writes it, read straight from the text (LockText), else through the TOML tree. */
    public static Lockfile parse(Path file, String text) {
        Lockfile written = LockText.read(text);
        return written != null ? written : from(TomlSource.parse(file, text, RECOVER));
    }

    private static Lockfile from(TomlSource toml) {
        List<String> problems = new ArrayList<>();
        JsonNode root = toml.root();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                problems.add(toml.where(key) + ": unknown key `" + key + "`");
            }
        }
        JsonNode version = root.get("version");
        if (version == null) {
            problems.add(toml.path() + ": no `version = " + FORMAT + "` line (is the file truncated?)");
        } else if (!version.isInt() || version.asInt() != FORMAT) {
            problems.add(toml.where("version") + ": lockfile format `" + version + "` is not " + FORMAT
                    + (version.isInt() && version.asInt() == 1
                            ? " (format 1 pinned the gzip bytes of each plugin, which another zlib compresses differently: delete cxpm.lock and run `cxpm sync` to lock the same versions by content)"
                            : " (written by another cxpm version?)"));
        }
        JsonNode array = root.path("plugin");
        if (!array.isMissingNode() && !array.isArray()) {
            problems.add(toml.where("plugin") + ": `plugin` must be [[plugin]] tables");
        }
        TreeMap<String, LockedPlugin> plugins = new TreeMap<>();
        int checked = 0;
        for (; array.isArray() && checked < array.size() && problems.size() < MAX_PROBLEMS; checked++) {
            int i = checked;
            readPlugin(toml, array.get(i), i, problems).ifPresent(p -> {
                if (plugins.putIfAbsent(p.name(), p) != null) {
                    problems.add(toml.where("plugin", Integer.toString(plugins.size())) + ": plugin `" + p.name() + "` is locked twice");
                }
            });
        }
        for (LockedPlugin p : problems.isEmpty() ? plugins.values() : List.<LockedPlugin>of()) {
            for (String dep : p.dependencies().keySet()) {
                if (!plugins.containsKey(dep)) {
                    problems.add(toml.path() + ": `" + p.id() + "` depends on `" + dep + "`, which is not locked (is the file truncated?)");
                }
            }
        }
        if (!problems.isEmpty()) {
            int unchecked = array.isArray() ? array.size() - checked : 0;
            List<String> listed = problems;
            String count = problems.size() + (problems.size() == 1 ? " problem" : " problems");
            if (problems.size() > MAX_PROBLEMS || unchecked > 0) {
                listed = problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS));
                count = "the first " + listed.size() + " problems" + (unchecked > 0 ? "; " + unchecked + " [[plugin]] entries after them not checked" : "");
            }
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    toml.path() + " cannot be used (" + count + "):\n  " + String.join("\n  ", listed), RECOVER);
        }
        return new Lockfile(plugins);
    }

    private static Optional<LockedPlugin> readPlugin(TomlSource toml, JsonNode t, int index, List<String> problems) {
        if (!t.isObject()) {
            problems.add(toml.where("plugin", Integer.toString(index)) + ": [[plugin]] entry " + (index + 1) + " is not a table");
            return Optional.empty();
        }
        int before = problems.size();
        for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PLUGIN_FIELDS.contains(f)) {
                problems.add(toml.where("plugin", Integer.toString(index), f) + ": unknown field `" + f + "` in [[plugin]]");
            }
        }
        String name = string(toml, t, index, "name", problems);
        String version = string(toml, t, index, "version", problems);
        String marketplace = string(toml, t, index, "marketplace", problems);
        String sourceText = string(toml, t, index, "source", problems);
        String integrityText = string(toml, t, index, "integrity", problems);
        // each becomes a directory of the Codex home (plugins/cache/<marketplace>/<name>/<version>/): never path syntax
        name = named(toml, index, "name", name, PluginName.problem(name), problems);
        marketplace = named(toml, index, "marketplace", marketplace, MarketplaceName.problem(marketplace), problems);
        version = named(toml, index, "version", version, version == null ? Optional.empty() : VersionDir.problem(version.strip()), problems);
        Optional<ResolvedSource> source = Optional.empty();
        if (sourceText != null) {
            source = ResolvedSource.parse(sourceText);
            if (source.isEmpty()) {
                problems.add(toml.where("plugin", Integer.toString(index), "source") + ": " + label(name, index) + " has an unreadable source `" + sourceText + "`");
            }
        }
        Optional<Integrity> integrity = Optional.empty();
        if (integrityText != null) {
            try {
                integrity = Optional.of(Integrity.parse(integrityText));
            } catch (UserError e) {
                integrity = Optional.empty();
            }
            if (integrity.isEmpty()) {
                problems.add(toml.where("plugin", Integer.toString(index), "integrity") + ": " + label(name, index)
                        + " has a malformed integrity (expected sha512- and the base64 of its 64 bytes)");
            }
        }
        // optional: lockfiles written before approvals existed have none, and a plugin that runs nothing needs none
        Optional<RunHash> approved = Optional.empty();
        JsonNode a = t.get("approved");
        if (a != null) {
            approved = a.isTextual() ? RunHash.parse(a.asText()) : Optional.empty();
            if (approved.isEmpty()) {
                problems.add(toml.where("plugin", Integer.toString(index), "approved") + ": " + label(name, index)
                        + " has a malformed `approved` (expected sha256- and the base64 of its 32 bytes, as `cxpm approve` writes it)");
            }
        }
        Optional<String> registryKey = Optional.empty();
        if (t.has("registry-key")) {
            JsonNode k = t.get("registry-key");
            if (!k.isTextual() || !LockedPlugin.isKeyId(k.asText())) {
                problems.add(toml.where("plugin", Integer.toString(index), "registry-key") + ": " + label(name, index) + " has a malformed `registry-key` (expected 16 hex digits)");
            } else if (source.isPresent() && !(source.get() instanceof ResolvedSource.Registry)) {
                problems.add(toml.where("plugin", Integer.toString(index), "registry-key") + ": " + label(name, index) + " has a `registry-key` but does not come from a registry");
            } else {
                registryKey = Optional.of(k.asText());
            }
        }
        SortedMap<String, VersionRange> deps = new TreeMap<>();
        JsonNode d = t.get("dependencies");
        if (d == null) {
            problems.add(toml.where("plugin", Integer.toString(index)) + ": [[plugin]] " + nameOf(t) + "has no `dependencies` (is the file truncated?)");
        } else {
            if (!d.isObject()) {
                problems.add(toml.where("plugin", Integer.toString(index), "dependencies") + ": `dependencies` of " + label(name, index) + " must be a table of ranges");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Optional<String> badName = PluginName.problem(e.getKey());
                    if (badName.isPresent()) {
                        problems.add(toml.where("plugin", Integer.toString(index), "dependencies") + ": dependency of " + label(name, index) + ": " + badName.get());
                        continue;
                    }
                    Optional<VersionRange> r = e.getValue().isTextual() ? VersionRange.parse(e.getValue().asText()) : Optional.empty();
                    if (r.isEmpty()) {
                        problems.add(toml.where("plugin", Integer.toString(index), "dependencies") + ": dependency `" + e.getKey() + "` of " + label(name, index)
                                + " has no valid range");
                    } else {
                        deps.put(e.getKey(), r.get());
                    }
                }
            }
        }
        if (problems.size() > before || name == null || version == null || marketplace == null
                || source.isEmpty() || integrity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LockedPlugin(name, PluginVersion.of(version), marketplace, source.get(), integrity.get(), deps, approved,
                registryKey));
    }

    /** How a message names the entry: by its name once that is known good, else by its place in the file. */
    private static String label(String name, int index) {
        return name == null ? "[[plugin]] entry " + (index + 1) : "plugin `" + name + "`";
    }

    /** value, or null with the problem noted (file, line, field) when it cannot name a directory. */
    private static String named(TomlSource toml, int index, String field, String value, Optional<String> problem, List<String> problems) {
        if (value == null || problem.isEmpty()) {
            return value;
        }
        problems.add(toml.where("plugin", Integer.toString(index), field) + ": `" + field + "`: " + problem.get());
        return null;
    }

    /** The string field, or null (with a problem noted) when missing or not a string. */
    private static String string(TomlSource toml, JsonNode t, int index, String field, List<String> problems) {
        JsonNode v = t.get(field);
        if (v == null) {
            problems.add(toml.where("plugin", Integer.toString(index)) + ": [[plugin]] " + nameOf(t) + "has no `" + field + "` (is the file truncated?)");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(toml.where("plugin", Integer.toString(index), field) + ": `" + field + "` of [[plugin]] " + nameOf(t) + "must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static String nameOf(JsonNode t) {
        JsonNode n = t.get("name");
        return n != null && n.isTextual() ? "`" + n.asText() + "` " : "";
    }

    // --- writing ---------------------------------------------------------------------------------

    /** The file's text: same plugins, same bytes. */
    public String toText() {
        StringBuilder b = new StringBuilder(HEADER).append("version = ").append(FORMAT).append('\n');
        for (LockedPlugin p : plugins.values()) {
            b.append("\n[[plugin]]\n");
            b.append("name = ").append(TomlStrings.quote(p.name())).append('\n');
            b.append("version = ").append(TomlStrings.quote(p.version().text())).append('\n');
            b.append("marketplace = ").append(TomlStrings.quote(p.marketplace())).append('\n');
            b.append("source = ").append(TomlStrings.quote(p.source().toString())).append('\n');
            b.append("integrity = ").append(TomlStrings.quote(p.integrity().toString())).append('\n');
            p.approved().ifPresent(h -> b.append("approved = ").append(TomlStrings.quote(h.text())).append('\n'));
            p.registryKey().ifPresent(k -> b.append("registry-key = ").append(TomlStrings.quote(k)).append('\n'));
            // Always written, and last: a file cut anywhere inside a table then misses a required field.
            List<String> deps = new ArrayList<>();
            p.dependencies().forEach((k, v) -> deps.add(TomlStrings.key(k) + " = " + TomlStrings.quote(v.text())));
            b.append(deps.isEmpty() ? "dependencies = {}\n" : "dependencies = { " + String.join(", ", deps) + " }\n");
        }
        return b.toString();
    }

    /** Writes cxpm.lock atomically (temp file in the same directory, then a move). */
    /** Writes cxpm.lock in projectDir; returns the bytes written. */
    public byte[] write(Path projectDir) {
        Path file = projectDir.resolve(FILE_NAME);
        try {
            byte[] bytes = TempPaths.utf8(toText());
            TempPaths.replace(file, ".cxpm.lock", bytes);
            return bytes;
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * The locked plugins seen as a resolution of the project's declarations, so {@code why} works from
     * the two committed files alone. Plugins the project no longer reaches get no requirement.
     */
    public Resolution asResolution(Map<String, VersionRange> project) {
        SortedMap<String, PluginRelease> selected = new TreeMap<>();
        plugins.values().forEach(p -> selected.put(p.name(), release(p)));
        Map<String, List<Requirement>> reqs = new TreeMap<>();
        project.forEach((name, range) -> reqs.computeIfAbsent(name, k -> new ArrayList<>()).add(Requirement.fromProject(name, range)));
        for (PluginRelease r : selected.values()) {
            r.dependencies().forEach((dep, range) ->
                    reqs.computeIfAbsent(dep, k -> new ArrayList<>()).add(Requirement.fromRelease(dep, range, r)));
        }
        return new Resolution(selected, reqs);
    }

    public static PluginRelease release(LockedPlugin p) {
        return new PluginRelease(p.name(), p.version(), p.dependencies(), p.marketplace());
    }
}
