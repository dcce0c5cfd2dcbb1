package dev.cxpm.core.install;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.ManifestLocation;
import dev.cxpm.core.format.Plugin;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code codex plugin add} refuses in a plugin before copying it (SPEC.md §4), with Codex's own
 * messages, and the version directory it installs under. Only typed manifest fields make the manifest
 * invalid; skills, MCP and app files are not looked at, as in Codex.
 */
public final class CodexInstallRules {
    /** Codex's directory name for a plugin whose manifest has no version. */
    public static final String LOCAL_VERSION = "local";
    private static final Pattern VERSION_CHARS = Pattern.compile("[A-Za-z0-9.+_-]+");
    private static final List<String> INTERFACE_STRINGS = List.of("displayName", "shortDescription", "longDescription",
            "developerName", "category", "websiteURL", "websiteUrl", "privacyPolicyURL", "privacyPolicyUrl",
            "termsOfServiceURL", "termsOfServiceUrl", "brandColor", "composerIcon", "logo", "logoDark");

    private CodexInstallRules() {
    }

    /** A plugin Codex would install, and the version directory it goes to. */
    public record Accepted(Plugin plugin, String version) {
        public boolean hasVersion() {
            return !LOCAL_VERSION.equals(version) || plugin.version().isPresent();
        }
    }

    /** Checks the plugin at dir as Codex does when installing it as marketplace entry entryName. */
    public static Accepted check(Path dir, String entryName) {
        if (ManifestLocation.find(dir).isEmpty()) {
            throw invalid("missing plugin.json", "the plugin directory " + dir + " has no .codex-plugin/plugin.json");
        }
        Plugin plugin = Plugin.load(dir);
        JsonNode root = plugin.manifestJson().root();
        String version = version(root);
        if (root.isObject()) {
            checkTypes(root);
            JsonNode name = root.path("name");
            if (name.isTextual() && !name.asText().isEmpty() && !name.asText().equals(entryName)) {
                throw invalid("plugin.json name `" + name.asText() + "` does not match marketplace plugin name `" + entryName + "`",
                        "make the manifest name and the marketplace entry name the same");
            }
        }
        return new Accepted(plugin, version);
    }

    private static String version(JsonNode root) {
        JsonNode v = root.isArray() ? root.path(0) : root.path("version");
        if (v.isMissingNode() || v.isNull()) {
            return LOCAL_VERSION;
        }
        if (!v.isTextual()) {
            throw invalid("invalid plugin version in plugin.json: expected string", "write the version as a string, e.g. \"1.0.0\"");
        }
        String trimmed = v.asText().trim();
        if (trimmed.isEmpty()) {
            throw invalid("invalid plugin version in plugin.json: must not be blank", "set a version such as \"1.0.0\" or remove the field");
        }
        if (!VERSION_CHARS.matcher(trimmed).matches()) {
            throw invalid("invalid plugin version: only ASCII letters, digits, `.`, `+`, `_`, and `-` are allowed",
                    "use a SemVer version such as \"1.0.0\"");
        }
        return trimmed;
    }

    private static void checkTypes(JsonNode root) {
        boolean ok = stringOrNull(root.path("name")) && stringOrNull(root.path("description"))
                && stringArrayOrNull(root.path("keywords")) && stringOrNull(root.path("apps"));
        JsonNode itf = root.path("interface");
        if (!itf.isMissingNode() && !itf.isNull()) {
            ok &= itf.isObject();
            for (String f : INTERFACE_STRINGS) {
                ok &= stringOrNull(itf.path(f));
            }
            ok &= stringArrayOrNull(itf.path("capabilities")) && stringArrayOrNull(itf.path("screenshots"));
        }
        if (!ok) {
            throw invalid("missing or invalid plugin.json", "a typed field has the wrong type (keywords, apps or an interface field); run: cxpm validate");
        }
    }

    private static boolean stringOrNull(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.isTextual();
    }

    private static boolean stringArrayOrNull(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return true;
        }
        if (!n.isArray()) {
            return false;
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static UserError invalid(String message, String hint) {
        return new UserError(UserError.Kind.INVALID_INPUT, message, hint);
    }
}
