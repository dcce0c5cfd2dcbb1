package dev.cxpm.core.install;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a command on a PATH the way a shell does. cxpm looks commands up on the PATH of the
 * environment it was given (not the JVM's), so what it reports matches what the user's shell and
 * Codex will find.
 */
public final class Executables {
    private Executables() {
    }

    /** The command's file as a shell in directory cwd finds it: relative PATH entries are relative to cwd. */
    public static Optional<Path> find(String command, String pathVar, Path cwd) {
        if (command.contains("/")) {
            Path p = cwd.resolve(command);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (pathVar == null) {
            return Optional.empty();
        }
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = cwd.resolve(dir).resolve(command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
