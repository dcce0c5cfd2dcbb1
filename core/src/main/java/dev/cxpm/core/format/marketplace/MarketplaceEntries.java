package dev.cxpm.core.format.marketplace;

import static dev.cxpm.core.format.OptionalFields.text;
import static dev.cxpm.core.format.marketplace.ManifestTree.typeName;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.format.json.StreamedJson;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code plugins[]} entry of a marketplace manifest, read as Codex reads it: a problem that makes Codex reject the
 * whole file (no name, no source, an unknown policy) goes to the file's errors, one that makes it skip only the entry
 * (an invalid plugin name, a source it cannot use, a local path leaving the root, a duplicate) to the skipped entries.
 */
final class MarketplaceEntries {
    private MarketplaceEntries() {
    }

    /**
     * Where an entry's findings go, and the line of the value at a JSON Pointer into the file (asked only for a finding).
     * A class, not functions: {@link Marketplace#read} is on a cold install's and sync's path, where each lambda links.
     */
    abstract static class Findings {
        abstract int lineOf(String pointer);

        abstract void error(Finding f);

        abstract void skip(Finding f);
    }

    /** A parsed file's findings, collected with their lines. */
    static final class Collected extends Findings {
        private final dev.cxpm.core.format.json.JsonFile json;
        private final java.util.List<Finding> errors;
        private final java.util.List<Finding> skipped;

        Collected(dev.cxpm.core.format.json.JsonFile json, java.util.List<Finding> errors, java.util.List<Finding> skipped) {
            this.json = json;
            this.errors = errors;
            this.skipped = skipped;
        }

        @Override
        int lineOf(String pointer) {
            return json.lineOf(pointer);
        }

        @Override
        void error(Finding f) {
            errors.add(f);
        }

        @Override
        void skip(Finding f) {
            skipped.add(f);
        }
    }

    /**
     * An entry read from a stream: a whole-file error ends the read (the caller then reads the file whole to report it),
     * a skipped entry is passed over; no line is asked for.
     */
    private static final class Streamed extends Findings {
        @Override
        int lineOf(String pointer) {
            return 0;
        }

        @Override
        void error(Finding f) {
            throw REJECTED;
        }

        @Override
        void skip(Finding f) {
        }
    }

    private static final Findings STREAMED = new Streamed();

    /** A problem that rejects the whole manifest, met while streaming it: the check stops, and the file is read whole to say it. */
    private static final class Rejected extends RuntimeException {
        Rejected() {
            super(null, null, false, false);
        }
    }

    private static final Rejected REJECTED = new Rejected();

    /** Ends a walk whose visitor has what it wanted. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    /**
     * The manifest in bytes checked as {@link Marketplace#read} checks it, one entry at a time: a marketplace whose
     * entries are read again at each walk, or null when {@link Marketplace#read} has something to say (a whole-file error,
     * or a text {@link StreamedJson} leaves to JsonFile), which the caller then reads whole to say it.
     */
    static Marketplace check(Path root, Path file, byte[] bytes) {
        Check c = new Check(file);
        try {
            if (!StreamedJson.walk(bytes, c)) {
                return null;
            }
        } catch (Rejected r) {
            return null;
        }
        JsonNode n = c.name;
        if (TopLevel.nameProblem(file, n) != null || TopLevel.pluginsProblem(file, c.pluginsAsRead()) != null) {
            return null; // read has something to say
        }
        long[] names = java.util.Arrays.copyOf(c.hashes, c.count);
        java.util.Arrays.sort(names);
        int repeats = 0;
        for (int i = 1; i < names.length; i++) {
            if (names[i] == names[i - 1] && (repeats == 0 || c.hashes[repeats - 1] != names[i])) {
                c.hashes[repeats++] = names[i]; // reused: sorted, each repeated hash once
            }
        }
        Optional<String> displayName = c.iface == null ? Optional.empty() : text(c.iface.path("displayName"));
        return Marketplace.streamed(root, file, displayName, n.asText(), bytes, names, java.util.Arrays.copyOf(c.hashes, repeats));
    }

    /** What {@link #check} reads of the top level, and the hashes of the valid entries' names. */
    private static final class Check extends TopLevel {
        final Path file;
        long[] hashes = new long[256];
        int count;

        Check(Path file) {
            this.file = file;
        }

        @Override
        void entry(int i, JsonNode e) {
            Optional<MarketplaceEntry> entry = read(file, e, i, STREAMED, null);
            if (entry.isPresent()) {
                if (count == hashes.length) {
                    hashes = java.util.Arrays.copyOf(hashes, count * 2);
                }
                hashes[count++] = Marketplace.nameHash(entry.get().name());
            }
        }
    }

    /**
     * The valid entries of a manifest {@link #check} accepted, in order, each to visit until it answers false; a name met
     * before is skipped (Codex takes the first): only names whose hash is repeated are remembered to tell.
     */
    static void walk(Marketplace m, byte[] bytes, long[] repeated, java.util.function.Predicate<MarketplaceEntry> visit) {
        Set<String> seen = new java.util.HashSet<>();
        StreamedJson.Members members = new StreamedJson.Members() {
            @Override
            public boolean wants(String key) {
                return false;
            }

            @Override
            public boolean elements(String key) {
                return key.equals("plugins");
            }

            @Override
            public void member(String key, JsonNode value) {
            }

            @Override
            public void element(String key, int i, JsonNode e) {
                Optional<MarketplaceEntry> entry = read(m.manifestFile(), e, i, STREAMED, null); // checked before: no error
                if (entry.isEmpty()) {
                    return;
                }
                String name = entry.get().name();
                if (java.util.Arrays.binarySearch(repeated, Marketplace.nameHash(name)) >= 0 && !seen.add(name)) {
                    return;
                }
                if (!visit.test(entry.get())) {
                    throw STOP;
                }
            }
        };
        try {
            if (!StreamedJson.walk(bytes, members)) {
                throw new IllegalStateException("checked before: " + m.manifestFile());
            }
        } catch (Stop enough) {
            // the visitor has what it wanted
        }
    }

    /**
     * Entry i of the manifest file, e; lineOf: the line of the value at a JSON Pointer into the file (asked only for a
     * finding); a problem that rejects the whole file goes to error, one that skips the entry to skip; seen: the names
     * of the valid entries before it (a repeated one is skipped), or null when the caller tells repeats itself.
     */
    static Optional<MarketplaceEntry> read(Path file, JsonNode e, int i, Findings findings, Set<String> seen) {
        String at = "/plugins/" + i;
        java.util.function.IntSupplier line = () -> findings.lineOf(at); // asked only for a finding: no spans made otherwise
        if (!e.isObject()) {
            findings.error(new Finding("marketplace.entry-type", file, line.getAsInt(),
                    "plugins[" + i + "]: invalid type: " + typeName(e) + ", expected a plugin entry object", null));
            return Optional.empty();
        }
        JsonNode nameNode = e.path("name");
        if (!nameNode.isTextual()) {
            findings.error(new Finding("marketplace.entry-name-missing", file, line.getAsInt(),
                    "plugins[" + i + "]: " + (nameNode.isMissingNode() ? "missing field `name`" : "`name` must be a string"), null));
            return Optional.empty();
        }
        String name = nameNode.asText();
        JsonNode src = e.path("source");
        if (src.isMissingNode() || src.isNull()) {
            findings.error(new Finding("marketplace.source-missing", file, line.getAsInt(),
                    "plugins[" + i + "] (`" + name + "`): missing field `source`",
                    "add \"source\": \"./plugins/" + name + "\""));
            return Optional.empty();
        }
        InstallPolicy install = InstallPolicy.AVAILABLE;
        AuthPolicy auth = AuthPolicy.ON_INSTALL;
        JsonNode policy = e.path("policy");
        JsonNode inst = policy.path("installation");
        boolean fileError = false;
        if (inst.isTextual()) {
            try {
                install = InstallPolicy.valueOf(inst.asText());
            } catch (IllegalArgumentException x) {
                findings.error(new Finding("marketplace.policy-invalid", file, findings.lineOf(at + "/policy/installation"),
                        "unknown variant `" + inst.asText() + "`, expected one of `NOT_AVAILABLE`, `AVAILABLE`, `INSTALLED_BY_DEFAULT`",
                        null));
                fileError = true;
            }
        } else if (!inst.isMissingNode() && !inst.isNull()) {
            findings.error(new Finding("marketplace.policy-invalid", file, findings.lineOf(at + "/policy/installation"),
                    "policy.installation must be a string", null));
            fileError = true;
        }
        JsonNode authNode = policy.path("authentication");
        if (authNode.isTextual()) {
            try {
                auth = AuthPolicy.valueOf(authNode.asText());
            } catch (IllegalArgumentException x) {
                findings.error(new Finding("marketplace.policy-invalid", file, findings.lineOf(at + "/policy/authentication"),
                        "unknown variant `" + authNode.asText() + "`, expected `ON_INSTALL` or `ON_USE`", null));
                fileError = true;
            }
        }
        if (fileError) {
            return Optional.empty();
        }
        if (!CodexNames.isPluginName(name)) {
            findings.skip(new Finding("marketplace.entry-name-invalid", file, findings.lineOf(at + "/name"),
                    "plugin `" + name + "` is skipped: " + CodexNames.pluginNameProblem(name).orElseThrow(),
                    "rename the plugin: ASCII letters, digits, `_` and `-`, in segments separated by single dots"));
            return Optional.empty();
        }
        Optional<PluginSource> source = readSource(file, src, at + "/source", findings, name);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (seen != null && !seen.add(name)) {
            findings.skip(new Finding("marketplace.entry-duplicate", file, line.getAsInt(),
                    "plugin `" + name + "` is listed again; Codex uses the first entry and ignores this one",
                    "remove the duplicate entry"));
            return Optional.empty();
        }
        return Optional.of(new MarketplaceEntry(name, source.get(), install, auth, text(e.path("category")),
                text(e.path("description")), text(e.path("version"))));
    }

    private static Optional<PluginSource> readSource(Path file, JsonNode src, String at, Findings findings, String name) {
        java.util.function.IntSupplier line = () -> findings.lineOf(at); // asked only for a finding: no spans made otherwise
        if (src.isTextual()) {
            return localPath(src.asText(), name, file, line, findings).map(PluginSource.Local::new);
        }
        if (!src.isObject()) {
            findings.skip(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: source must be a string or an object", null));
            return Optional.empty();
        }
        String type = src.path("source").asText("");
        Optional<String> ref = text(src.path("ref"));
        switch (type) {
            case "local" -> {
                JsonNode p = src.path("path");
                if (!p.isTextual()) {
                    findings.skip(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: local source without a \"path\"", null));
                    return Optional.empty();
                }
                return localPath(p.asText(), name, file, () -> findings.lineOf(at + "/path"), findings).map(PluginSource.Local::new);
            }
            case "url" -> {
                Optional<String> url = text(src.path("url"));
                if (url.isEmpty()) {
                    findings.skip(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: url source without a \"url\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Git(url.get(), ref));
            }
            case "git-subdir" -> {
                Optional<String> url = text(src.path("url"));
                Optional<String> path = text(src.path("path"));
                if (url.isEmpty() || path.isEmpty()) {
                    findings.skip(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: git-subdir source needs \"url\" and \"path\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.GitSubdir(url.get(), path.get(), ref));
            }
            case "npm" -> {
                Optional<String> pkg = text(src.path("package"));
                if (pkg.isEmpty()) {
                    findings.skip(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: npm source without a \"package\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Npm(pkg.get(), text(src.path("version")), text(src.path("registry"))));
            }
            default -> {
                findings.skip(new Finding("marketplace.source-unknown", file, findings.lineOf(at + "/source") > 0 ? findings.lineOf(at + "/source") : line.getAsInt(),
                        "plugin `" + name + "` is skipped: unknown source type `" + type + "`",
                        "use one of: local, url, git-subdir, npm"));
                return Optional.empty();
            }
        }
    }

    private static Optional<String> localPath(String path, String name, Path file, java.util.function.IntSupplier line,
            Findings findings) {
        if (path.startsWith("/") || driveLetter(path)) {
            findings.skip(new Finding("marketplace.source-path", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: local plugin source path must stay within the marketplace root",
                    "use a relative path such as \"./plugins/" + name + "\""));
            return Optional.empty();
        }
        if (!path.startsWith("./")) {
            findings.skip(new Finding("marketplace.source-path", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: local plugin source path must start with `./`",
                    "write \"./" + path + "\""));
            return Optional.empty();
        }
        if (PluginPaths.hasParentPart(path)) {
            findings.skip(new Finding("marketplace.source-path", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: local plugin source path must stay within the marketplace root",
                    "move the plugin under the marketplace directory"));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** C:\ or C:/ at the start (what matches("^[A-Za-z]:[\\/].*") said, without compiling it for each entry). */
    private static boolean driveLetter(String path) {
        if (path.length() < 3 || path.charAt(1) != ':' || path.charAt(2) != '/' && path.charAt(2) != '\\') {
            return false;
        }
        char c = path.charAt(0);
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
