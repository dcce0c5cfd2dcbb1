package dev.cxpm.cli.authoring;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.ManifestLocation;
import java.nio.file.Path;

/**
 * The refusal shared by the commands that take a plugin's directory (pack, publish): a directory with no plugin
 * manifest is named with the fix before anything is packed or sent, rather than packed as an empty archive.
 */
final class PluginDirectory {
    private PluginDirectory() {
    }

    static void requireManifest(Path dir, String command) {
        if (ManifestLocation.find(dir).isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    dir + " is not a plugin: missing plugin.json (no .codex-plugin/plugin.json, .claude-plugin/plugin.json or .cursor-plugin/plugin.json)",
                    "run `cxpm init` there to make it one, or pass the plugin's directory: cxpm " + command + " path/to/plugin");
        }
    }
}
