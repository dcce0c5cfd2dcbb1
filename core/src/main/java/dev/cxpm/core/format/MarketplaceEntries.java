package dev.cxpm.core.format;

import static dev.cxpm.core.format.Marketplace.typeName;
import static dev.cxpm.core.format.OptionalFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import java.nio.file.Path;
import java.util.List;
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

    static Optional<MarketplaceEntry> read(JsonFile json, int i, List<Finding> errors, List<Finding> skipped,
            Set<String> seen) {
        Path file = json.path();
        String at = "/plugins/" + i;
        JsonNode e = json.root().path("plugins").path(i);
        java.util.function.IntSupplier line = () -> json.lineOf(at); // asked only for a finding: no spans made otherwise
        if (!e.isObject()) {
            errors.add(new Finding("marketplace.entry-type", file, line.getAsInt(),
                    "plugins[" + i + "]: invalid type: " + typeName(e) + ", expected a plugin entry object", null));
            return Optional.empty();
        }
        JsonNode nameNode = e.path("name");
        if (!nameNode.isTextual()) {
            errors.add(new Finding("marketplace.entry-name-missing", file, line.getAsInt(),
                    "plugins[" + i + "]: " + (nameNode.isMissingNode() ? "missing field `name`" : "`name` must be a string"), null));
            return Optional.empty();
        }
        String name = nameNode.asText();
        JsonNode src = e.path("source");
        if (src.isMissingNode() || src.isNull()) {
            errors.add(new Finding("marketplace.source-missing", file, line.getAsInt(),
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
                errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/installation"),
                        "unknown variant `" + inst.asText() + "`, expected one of `NOT_AVAILABLE`, `AVAILABLE`, `INSTALLED_BY_DEFAULT`",
                        null));
                fileError = true;
            }
        } else if (!inst.isMissingNode() && !inst.isNull()) {
            errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/installation"),
                    "policy.installation must be a string", null));
            fileError = true;
        }
        JsonNode authNode = policy.path("authentication");
        if (authNode.isTextual()) {
            try {
                auth = AuthPolicy.valueOf(authNode.asText());
            } catch (IllegalArgumentException x) {
                errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/authentication"),
                        "unknown variant `" + authNode.asText() + "`, expected `ON_INSTALL` or `ON_USE`", null));
                fileError = true;
            }
        }
        if (fileError) {
            return Optional.empty();
        }
        if (!CodexNames.isPluginName(name)) {
            skipped.add(new Finding("marketplace.entry-name-invalid", file, json.lineOf(at + "/name"),
                    "plugin `" + name + "` is skipped: " + CodexNames.pluginNameProblem(name).orElseThrow(),
                    "rename the plugin: ASCII letters, digits, `_` and `-`, in segments separated by single dots"));
            return Optional.empty();
        }
        Optional<PluginSource> source = readSource(json, at + "/source", name, skipped);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (!seen.add(name)) {
            skipped.add(new Finding("marketplace.entry-duplicate", file, line.getAsInt(),
                    "plugin `" + name + "` is listed again; Codex uses the first entry and ignores this one",
                    "remove the duplicate entry"));
            return Optional.empty();
        }
        return Optional.of(new MarketplaceEntry(name, source.get(), install, auth, text(e.path("category")),
                text(e.path("description")), text(e.path("version"))));
    }

    private static Optional<PluginSource> readSource(JsonFile json, String at, String name, List<Finding> skipped) {
        Path file = json.path();
        JsonNode src = json.root().at(at);
        java.util.function.IntSupplier line = () -> json.lineOf(at); // asked only for a finding: no spans made otherwise
        if (src.isTextual()) {
            return localPath(src.asText(), name, file, line, skipped).map(PluginSource.Local::new);
        }
        if (!src.isObject()) {
            skipped.add(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: source must be a string or an object", null));
            return Optional.empty();
        }
        String type = src.path("source").asText("");
        Optional<String> ref = text(src.path("ref"));
        switch (type) {
            case "local" -> {
                JsonNode p = src.path("path");
                if (!p.isTextual()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: local source without a \"path\"", null));
                    return Optional.empty();
                }
                return localPath(p.asText(), name, file, () -> json.lineOf(at + "/path"), skipped).map(PluginSource.Local::new);
            }
            case "url" -> {
                Optional<String> url = text(src.path("url"));
                if (url.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: url source without a \"url\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Git(url.get(), ref));
            }
            case "git-subdir" -> {
                Optional<String> url = text(src.path("url"));
                Optional<String> path = text(src.path("path"));
                if (url.isEmpty() || path.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: git-subdir source needs \"url\" and \"path\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.GitSubdir(url.get(), path.get(), ref));
            }
            case "npm" -> {
                Optional<String> pkg = text(src.path("package"));
                if (pkg.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line.getAsInt(),
                            "plugin `" + name + "` is skipped: npm source without a \"package\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Npm(pkg.get(), text(src.path("version")), text(src.path("registry"))));
            }
            default -> {
                skipped.add(new Finding("marketplace.source-unknown", file, json.lineOf(at + "/source") > 0 ? json.lineOf(at + "/source") : line.getAsInt(),
                        "plugin `" + name + "` is skipped: unknown source type `" + type + "`",
                        "use one of: local, url, git-subdir, npm"));
                return Optional.empty();
            }
        }
    }

    private static Optional<String> localPath(String path, String name, Path file, java.util.function.IntSupplier line,
            List<Finding> skipped) {
        if (path.startsWith("/") || driveLetter(path)) {
            skipped.add(new Finding("marketplace.source-path", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: local plugin source path must stay within the marketplace root",
                    "use a relative path such as \"./plugins/" + name + "\""));
            return Optional.empty();
        }
        if (!path.startsWith("./")) {
            skipped.add(new Finding("marketplace.source-path", file, line.getAsInt(),
                    "plugin `" + name + "` is skipped: local plugin source path must start with `./`",
                    "write \"./" + path + "\""));
            return Optional.empty();
        }
        if (PluginPaths.hasParentPart(path)) {
            skipped.add(new Finding("marketplace.source-path", file, line.getAsInt(),
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
