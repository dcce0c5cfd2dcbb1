package dev.cxpm.core.pack;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File names git gives a meaning of its own, which no published plugin may hold, because the registry's
 * Codex view is a git repository of every plugin's files: {@code .git} (a repository inside the view),
 * {@code .gitmodules} and {@code .gitattributes} (they change how clients check out and fsck the view).
 * Matched as git's own {@code verify_path} and fsck do, so look-alikes are caught too: any case, trailing
 * dots and spaces and NTFS stream suffixes ({@code .git.}, {@code .GIT::$INDEX_ALLOCATION}), code points
 * HFS+ ignores ({@code .g\u200Cit}) and NTFS 8.3 short names ({@code git~1}, {@code gitmod~1}).
 * {@code .github} and {@code .gitignore} are ordinary files.
 *
 * <p>The one rule for both sides: a registry refuses at publish an archive holding such a name, and
 * {@code cxpm pack} leaves such entries out, so what pack makes is what a registry accepts.
 */
public final class GitReservedNames {

    private static final Pattern HFS_IGNORED = Pattern.compile("[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]");
    private static final Pattern SHORT_NAME = Pattern.compile("(git|gitmod|gi7eba|gitatt|gi7d29)~[0-9]+");
    /** Compiled once: {@code String.replaceFirst} compiled it for every name of every plugin a sync packs. */
    private static final Pattern TRAILING_DOTS_AND_SPACES = Pattern.compile("[. ]+$");

    /** Why {@link Packer} leaves such an entry out (its {@code excluded} reason, also shown by {@code validate}). */
    public static final String LEFT_OUT = "a name git treats specially (.git, .gitmodules, .gitattributes or a look-alike),"
            + " which registries refuse because they serve plugins through git";

    private GitReservedNames() {
    }

    /** Whether one path component (between slashes) is a name git treats specially. */
    public static boolean isReserved(String component) {
        String s = (hasHfsIgnored(component) ? HFS_IGNORED.matcher(component).replaceAll("") : component).toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon >= 0) {
            s = s.substring(0, colon);
        }
        s = TRAILING_DOTS_AND_SPACES.matcher(s).replaceFirst("");
        return s.equals(".git") || s.equals(".gitmodules") || s.equals(".gitattributes") || SHORT_NAME.matcher(s).matches();
    }

    /** Whether name holds a character {@link #HFS_IGNORED} removes (most names: none, and nothing to replace). */
    private static boolean hasHfsIgnored(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= '\u200C' && c <= '\u200F' || c >= '\u202A' && c <= '\u202E' || c >= '\u206A' && c <= '\u206F' || c == '\uFEFF') {
                return true;
            }
        }
        return false;
    }
}
