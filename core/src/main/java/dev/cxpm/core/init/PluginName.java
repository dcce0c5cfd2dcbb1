package dev.cxpm.core.init;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.CodexNames;
import java.util.Locale;

/**
 * A plugin name that {@code cxpm init} may write. The real Codex CLI accepts ASCII letters, digits,
 * {@code .}, {@code _} and {@code -} and rejects anything else, a space included (SPEC.md §3). We
 * also refuse a leading dot or dash (a hidden or option-like cache directory) and more than 64
 * characters, so the name is safe as the {@code plugins/cache/<marketplace>/<name>/} directory.
 */
public record PluginName(String value) {
    private static final String FALLBACK = "my-plugin";

    public PluginName {
        if (!CodexNames.isPortablePluginName(value)) {
            throw invalid(value);
        }
    }

    /** The name a user typed with {@code --name}; a usage error when Codex would not accept it. */
    public static PluginName parse(String typed) {
        return new PluginName(typed);
    }

    /**
     * The default name made from a directory name: lower case, each run of other characters
     * becomes one {@code -} ("My Tools!" becomes "my-tools"), so the default is always valid.
     */
    public static PluginName fromDirectoryName(String dirName) {
        String s = dirName == null ? "" : dirName.toLowerCase(Locale.ROOT);
        s = s.replaceAll("[^a-z0-9._-]+", "-").replaceAll("-{2,}", "-");
        s = s.replaceAll("^[._-]+", "").replaceAll("[._-]+$", "");
        if (s.length() > 64) {
            s = s.substring(0, 64).replaceAll("[._-]+$", "");
        }
        return new PluginName(s.isEmpty() ? FALLBACK : s);
    }

    /** "team-workflow_tools" becomes "Team Workflow Tools", for {@code interface.displayName}. */
    public String displayName() {
        StringBuilder out = new StringBuilder();
        for (String word : value.split("[._-]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.isEmpty() ? value : out.toString();
    }

    @Override
    public String toString() {
        return value;
    }

    private static UserError invalid(String value) {
        String suggestion = value == null ? FALLBACK : fromDirectoryName(value).value();
        return new UserError(UserError.Kind.USAGE,
                "invalid plugin name '" + value + "': use 1 to 64 ASCII letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit",
                "try --name " + suggestion);
    }
}
