package dev.cxpm.cli;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a JVM cannot read are refused before anything runs. Java decodes the working directory,
 * arguments and environment with the locale's charset and turns each byte it cannot decode into U+FFFD
 * (or {@code ?}), which names another file: {@code init} in a directory named with byte 0xff would
 * write into a sibling named {@code �} or {@code ?}. Nothing can write there through such a name, so
 * cxpm says what it cannot name and stops.
 */
final class PathNames {
    /** The variables cxpm reads paths from. */
    private static final List<String> PATH_VARIABLES = List.of("HOME", "CODEX_HOME", "CXPM_STORE", "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NPM_CONFIG_USERCONFIG");

    private PathNames() {
    }

    /** The process's own working directory, checked to be the directory the JVM's name for it names. */
    static Path processDirectory() {
        String name = System.getProperty("user.dir");
        try {
            Path cwd = Path.of(name).toAbsolutePath();
            Object named = Files.readAttributes(cwd, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            Object real = Files.readAttributes(Path.of("."), BasicFileAttributes.class).fileKey();
            if (named != null && Objects.equals(named, real)) {
                return cwd;
            }
        } catch (InvalidPathException | IOException e) {
            // the name does not encode back to the directory's bytes, or names nothing: refused below
        }
        throw workingDirectory(name);
    }

    /** The first name in the working directory, arguments or path variables that is not what the user typed. */
    static Optional<UserError> undecodable(Env env, String[] args) {
        if (garbled(env.cwd().toString())) {
            return Optional.of(workingDirectory(env.cwd().toString()));
        }
        for (String a : args) {
            if (garbled(a)) {
                return Optional.of(new UserError(UserError.Kind.USAGE, "the argument `" + a + "` is not valid UTF-8 text, so cxpm cannot tell what it names",
                        localeHint("pass names as UTF-8")));
            }
        }
        for (String v : PATH_VARIABLES) {
            String value = env.var(v);
            if (value != null && garbled(value)) {
                return Optional.of(new UserError(UserError.Kind.IO, "$" + v + " (" + value + ") is not valid UTF-8 text, so cxpm cannot name that directory",
                        localeHint("set it to a UTF-8 path")));
            }
        }
        return Optional.empty();
    }

    private static boolean garbled(String s) {
        return s.indexOf('\uFFFD') >= 0;
    }

    private static UserError workingDirectory(String name) {
        return new UserError(UserError.Kind.IO, "the working directory (" + name + ") is not valid UTF-8 text, so cxpm cannot name it; nothing was written",
                localeHint("rename it to a UTF-8 name (e.g. with convmv) or run cxpm from another directory"));
    }

    /** The fix, and the locale's when the JVM names files in another charset than UTF-8 (the launcher gives it UTF-8). */
    private static String localeHint(String fix) {
        Charset names = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);
        return names.equals(StandardCharsets.UTF_8) ? fix
                : fix + "; or the locale is the cause: Java names files in its charset (here " + names + "), so run cxpm with LANG=C.UTF-8";
    }
}
