package dev.cxpm.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.marketplace.InstallPolicy;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.ManifestLocation;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.resolve.SemverText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Validates a plugin directory against three judges, reporting every problem at once:
 * <ol>
 * <li>the real Codex CLI ({@code codex plugin add}, SPEC.md §4 and fixtures/INDEX.md): what it rejects is an
 * error, including what the plugin's own marketplace says (an entry marked {@code NOT_AVAILABLE}, a name that
 * differs from the entry);</li>
 * <li>Claude Code's {@code claude plugin validate}, when the plugin carries {@code .claude-plugin/plugin.json}
 * ({@link ClaudeRules});</li>
 * <li>cxpm's stricter rules ({@link CxpmRules}: paths, SKILL.md metadata, SemVer, hidden Unicode, prerequisites): warnings,
 * errors under {@code --strict}. Literal secrets in MCP env values are errors always.</li>
 * </ol>
 * A plugin that has only a {@code .claude-plugin} manifest is judged by Claude Code: Codex's rejections become
 * warnings there, matching the reference verdicts of the corpus sample.
 */
public final class PluginValidator {
    private static final List<String> INTERFACE_STRINGS = List.of("displayName", "shortDescription", "longDescription",
            "developerName", "category", "websiteURL", "privacyPolicyURL", "termsOfServiceURL", "websiteUrl",
            "privacyPolicyUrl", "termsOfServiceUrl", "brandColor", "composerIcon", "logo", "logoDark");
    private static final int MAX_MARKETPLACE_LEVELS = 6;

    private final boolean strict;

    public PluginValidator(boolean strict) {
        this.strict = strict;
    }

    public ValidationReport report(Path pluginRoot) {
        return new ValidationReport(pluginRoot, "plugin", validate(pluginRoot));
    }

    public List<Problem> validate(Path pluginRoot) {
        return run(pluginRoot, null);
    }

    /**
     * What {@code codex plugin add} refuses when it installs the plugin at pluginRoot as marketplace entry
     * entryName (SPEC.md §4), as errors: the same Codex rules {@code validate} reports, always judged by Codex
     * (it reads a Claude-only manifest too), without Claude Code's or cxpm's stricter rules. Empty: Codex
     * would install it.
     */
    public static List<Problem> installRejections(Path pluginRoot, String entryName) {
        return new PluginValidator(false).run(pluginRoot, entryName).stream().filter(Problem::isError).toList();
    }

    /** installEntry: the marketplace entry name when checking for install, null for validate. */
    private List<Problem> run(Path pluginRoot, String installEntry) {
        boolean install = installEntry != null;
        Path root = pluginRoot.toAbsolutePath().normalize();
        Problems p = new Problems(strict);
        Optional<ManifestLocation> location = ManifestLocation.find(root);
        Path claudeManifest = root.resolve(ManifestKind.CLAUDE.relativePath());
        boolean hasCodexManifest = Files.isRegularFile(root.resolve(ManifestKind.CODEX.relativePath()));
        // Claude-only plugins are judged by Claude Code; Codex's rejections are then only warnings.
        boolean codexJudges = install
                || !(location.isPresent() && location.get().kind() == ManifestKind.CLAUDE && !hasCodexManifest);
        Codex codex = new Codex(p, codexJudges);

        if (!install && Files.isRegularFile(claudeManifest)) {
            new ClaudeRules(p, root).plugin(claudeManifest);
        }
        if (location.isEmpty()) {
            p.error("manifest.missing", root, 0, "missing plugin.json: no .codex-plugin/plugin.json, "
                    + ".claude-plugin/plugin.json, .cursor-plugin/plugin.json or agent-plugins plugin.json",
                    "create .codex-plugin/plugin.json (cxpm init does it)");
            return p.list();
        }
        Path file = location.get().file();
        JsonFile json;
        JsonFile.Outcome read = JsonFile.tryRead(file); // instanceof, not a pattern switch: its bootstrap costs a cold run ms
        if (read instanceof JsonFile.Parsed parsed) {
            json = parsed.file();
        } else {
            JsonFile.Failure f = ((JsonFile.Failed) read).failure();
            if (install || location.get().kind() != ManifestKind.CLAUDE) { // else ClaudeRules reported it
                if (codex.judges()) {
                    p.unparsable(Severity.ERROR, "manifest.invalid-json", f, "failed to parse plugin.json");
                } else {
                    p.unparsable(Severity.WARNING, "manifest.invalid-json", f, "Codex would reject this: failed to parse plugin.json");
                }
            }
            return p.list();
        }
        duplicateKeys(json, codex, p);
        if (!codexManifest(json, codex, p)) {
            return p.list();
        }
        Plugin plugin = Plugin.of(root, location.get(), json);
        if (install) {
            nameMismatch(plugin, installEntry, "the marketplace", codex);
            return p.list();
        }
        marketplaceContext(plugin, codex);
        CxpmRules.check(plugin, p);
        return p.list();
    }

    /** Reports with Codex's verdict: an error when Codex judges this plugin, a warning otherwise. */
    record Codex(Problems p, boolean judges) {
        void reject(String code, Path file, int line, String message, String hint) {
            if (judges) {
                p.error(code, file, line, message, hint);
            } else {
                p.warning(code, file, line, "Codex would reject this: " + message, hint);
            }
        }
    }

    /**
     * A key written twice: JsonFile keeps the last value as JSON.parse does, but Codex's serde refuses a manifest
     * field given twice ("duplicate field `version` at line 4 column 11", checked with codex 0.171), so at the top
     * level it is Codex's refusal; deeper (maps such as mcpServers keep the last) a warning naming both.
     */
    private static void duplicateKeys(JsonFile json, Codex codex, Problems p) {
        for (String pointer : json.duplicateKeys()) {
            String key = pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
            JsonFile.Span at = json.spanOf(pointer).orElseThrow();
            String hint = "keep one `" + key + "`: the file gives it twice";
            if (pointer.lastIndexOf('/') == 0) {
                JsonFile.Failure f = new JsonFile.Failure(json.path(), dev.cxpm.core.UserError.Kind.INVALID_INPUT,
                        "duplicate field `" + key + "`", at.line(), at.column(), hint);
                p.unparsable(codex.judges() ? Severity.ERROR : Severity.WARNING, "manifest.duplicate-key", f,
                        codex.judges() ? "failed to parse plugin.json" : "Codex would reject this: failed to parse plugin.json");
            } else {
                p.warning("manifest.duplicate-key", json.path(), at.line(), "`" + pointer + "` is given twice; the last value is used", hint);
            }
        }
    }

    /** Codex's checks of the manifest it reads; false when nothing more can be read from it. */
    private boolean codexManifest(JsonFile json, Codex codex, Problems p) {
        Path file = json.path();
        JsonNode root = json.root();
        if (root.isArray()) {
            // serde reads a JSON array positionally: the first element is the version
            checkVersion(json, "/0", codex, p);
            return true;
        }
        if (!root.isObject()) {
            codex.reject("manifest.not-object", file, 1, "failed to parse plugin.json: invalid type: "
                    + Text.typeName(root) + ", expected an object", "write the manifest as a JSON object { ... }");
            return false;
        }
        for (String field : List.of("name", "description", "apps")) {
            typed(json, "/" + field, root.path(field), JsonNode::isTextual, "a string", codex);
        }
        JsonNode name = root.path("name");
        if (name.isTextual() && !name.asText().isBlank() && !CodexNames.isPluginName(name.asText())) {
            codex.reject("name.invalid", file, json.lineOf("/name"), CodexNames.pluginNameProblem(name.asText()).orElseThrow()
                    + " (`" + name.asText() + "`): Codex refuses to install it or list it in a marketplace",
                    "use a name like \"" + CodexNames.asPluginName(name.asText().trim()) + "\"");
        }
        checkVersion(json, "/version", codex, p);
        typed(json, "/keywords", root.path("keywords"), Text::isStringArray, "an array of strings", codex);
        JsonNode iface = root.path("interface");
        if (typed(json, "/interface", iface, JsonNode::isObject, "an object", codex) && iface.isObject()) {
            for (String f : INTERFACE_STRINGS) {
                typed(json, "/interface/" + f, iface.path(f), JsonNode::isTextual, "a string", codex);
            }
            for (String f : List.of("capabilities", "screenshots")) {
                typed(json, "/interface/" + f, iface.path(f), Text::isStringArray, "an array of strings", codex);
            }
            JsonNode prompt = iface.path("defaultPrompt");
            if (present(prompt) && !prompt.isTextual() && !Text.isStringArray(prompt)) {
                p.strict("manifest.ignored-field", file, json.lineOf("/interface/defaultPrompt"),
                        "Codex ignores `interface.defaultPrompt`: expected a string or an array of strings, got "
                                + Text.typeName(prompt), "use an array of up to 3 prompts");
            } else if (Text.isStringArray(prompt)) {
                if (prompt.size() > 3) {
                    p.strict("manifest.default-prompt", file, json.lineOf("/interface/defaultPrompt/3"),
                            "Codex keeps only the first 3 default prompts", "remove the extra prompts");
                }
                for (int i = 0; i < prompt.size(); i++) {
                    String s = prompt.get(i).asText().trim();
                    if (s.isEmpty() || s.length() > 128) {
                        p.strict("manifest.default-prompt", file, json.lineOf("/interface/defaultPrompt/" + i),
                                "Codex ignores a default prompt that is empty or longer than 128 characters",
                                "shorten the prompt");
                    }
                }
            }
        }
        ignoredUnlessTyped(json, "skills", n -> n.isTextual() || Text.isStringArray(n), "a string or an array of strings", p);
        ignoredUnlessTyped(json, "mcpServers", n -> n.isTextual() || n.isObject(), "a path string or an object", p);
        ignoredUnlessTyped(json, "hooks", n -> n.isTextual() || n.isObject() || n.isArray(), "a path, an object or an array", p);
        return true;
    }

    static boolean present(JsonNode n) {
        return !n.isMissingNode() && !n.isNull();
    }

    /** A typed field Codex deserializes strictly: a wrong type makes the whole manifest invalid. */
    private static boolean typed(JsonFile json, String pointer, JsonNode node, java.util.function.Predicate<JsonNode> ok,
            String expected, Codex codex) {
        if (present(node) && !ok.test(node)) {
            codex.reject("manifest.field-type", json.path(), json.lineOf(pointer), "missing or invalid plugin.json: `"
                    + pointer.substring(1).replace('/', '.') + "` must be " + expected + ", not " + Text.typeName(node),
                    "fix the type of `" + pointer.substring(1).replace('/', '.') + "` or remove it");
            return false;
        }
        return true;
    }

    private static void ignoredUnlessTyped(JsonFile json, String field, java.util.function.Predicate<JsonNode> ok,
            String expected, Problems p) {
        JsonNode node = json.root().path(field);
        if (present(node) && !ok.test(node)) {
            p.strict("manifest.ignored-field", json.path(), json.lineOf("/" + field), "Codex ignores `" + field
                    + "`: expected " + expected + ", got " + Text.typeName(node), "fix the type of `" + field + "`");
        }
    }

    private static void checkVersion(JsonFile json, String pointer, Codex codex, Problems p) {
        JsonNode v = json.root().at(pointer);
        Path file = json.path();
        int line = json.lineOf(pointer);
        if (!present(v)) {
            p.strict("version.missing", file, json.lineOf(""), "no `version`: Codex installs it as version `local` and "
                    + "nothing can pin or update it", "add \"version\": \"0.1.0\"");
            return;
        }
        if (!v.isTextual()) {
            codex.reject("version.not-string", file, line, "invalid plugin version in plugin.json: expected string",
                    "write the version as a string, e.g. \"1.0.0\"");
            return;
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            codex.reject("version.blank", file, line, "invalid plugin version in plugin.json: must not be blank",
                    "set a SemVer version such as \"1.0.0\" or remove the field");
            return;
        }
        if (!CodexNames.isVersion(s)) {
            codex.reject("version.invalid-chars", file, line, CodexNames.versionProblem(s).orElseThrow(),
                    "use a SemVer version such as \"1.0.0\"");
            return;
        }
        String tooLarge = dev.cxpm.core.resolve.PluginVersion.tooLargeNumber(s);
        if (tooLarge != null && SemverText.isSemver(s)) {
            p.strict("version.number-too-large", file, line, "version `" + s + "` has the pre-release number " + tooLarge
                    + ", past the largest cxpm reads (9223372036854775807, a long)", "use a smaller number");
        } else if (!SemverText.isSemver(s)) {
            p.strict("version.not-semver", file, line, "version `" + s + "` is not SemVer (MAJOR.MINOR.PATCH)",
                    "use a version such as \"" + s.replaceAll("[^0-9.]", "") + "\" in MAJOR.MINOR.PATCH form");
        }
    }

    /** Codex installs a plugin through its marketplace: the entry's policy and name decide too. */
    private void marketplaceContext(Plugin plugin, Codex codex) {
        Path dir = plugin.root();
        for (int level = 0; level < MAX_MARKETPLACE_LEVELS && dir != null; level++, dir = dir.getParent()) {
            Optional<Path> file = Marketplace.findManifest(dir);
            if (file.isEmpty() || !(JsonFile.tryRead(file.get()) instanceof JsonFile.Parsed parsed)) {
                continue;
            }
            Marketplace m = Marketplace.read(dir, parsed.file());
            if (!m.fileErrors().isEmpty()) {
                continue;
            }
            for (MarketplaceEntry e : m.plugins()) {
                if (e.source() instanceof PluginSource.Local local && sameDir(m.localPluginDir(local), plugin.root())) {
                    int line = entryLine(parsed.file(), e.name());
                    if (e.installPolicy() == InstallPolicy.NOT_AVAILABLE) {
                        codex.reject("marketplace.not-available", m.manifestFile(), line, "plugin `" + e.name()
                                + "` is not available for install in marketplace `" + m.name()
                                + "` (policy.installation is NOT_AVAILABLE)",
                                "set \"installation\": \"AVAILABLE\" in the marketplace entry to let users install it");
                    }
                    nameMismatch(plugin, e.name(), m.manifestFile().getFileName().toString(), codex);
                    return;
                }
            }
        }
    }

    /** Codex installs a plugin under its marketplace entry's name; a manifest naming it otherwise is refused. */
    private static void nameMismatch(Plugin plugin, String entryName, String marketplaceFile, Codex codex) {
        if (plugin.name().isPresent() && !plugin.name().get().equals(entryName)) {
            codex.reject("name.marketplace-mismatch", plugin.manifest().file(),
                    plugin.manifestJson().lineOf("/name"), "plugin.json name `" + plugin.name().get()
                            + "` does not match marketplace plugin name `" + entryName + "`",
                    "use the same name in plugin.json and in " + marketplaceFile);
        }
    }

    /** The line of a marketplace manifest's first entry of this name (0: none); json is the manifest as parsed. */
    static int entryLine(JsonFile json, String name) {
        return EntryLines.fromTree(json).lineOf(name);
    }

    static boolean sameDir(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Turns a format finding into an error (used by callers that already hold findings). */
    static Problem toProblem(Finding f, Severity severity) {
        return new Problem(severity, f.code(), f.file(), f.line(), f.message(), f.hint());
    }
}
