package dev.cxpm.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Named pipes for tests of readers that must refuse them (opening a pipe to read waits for a writer, forever): made by
 * mkfifo, as the JDK has no call for it, and let go after the test so a reader still blocked in its open (a
 * regression) ends and the JVM can exit.
 */
public final class NamedPipes {
    private final List<Path> made = new ArrayList<>();
    private final Consumer<String> skip;

    /**
     * skip is told why when a pipe cannot be made here (no mkfifo, or it failed), and should end the test as skipped:
     * JUnit's {@code Assumptions::abort} (testkit does not depend on JUnit).
     */
    public NamedPipes(Consumer<String> skip) {
        this.skip = skip;
    }

    /** A named pipe at path (its parents made); where none can be made, the test is skipped (see the constructor). */
    public Path make(Path path) throws IOException, InterruptedException {
        Files.createDirectories(path.getParent());
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException noMkfifo) {
            return cannot("no mkfifo here");
        }
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return cannot("mkfifo failed for " + path);
        }
        made.add(path);
        return path;
    }

    private Path cannot(String why) {
        skip.accept(why);
        throw new IllegalStateException(why + " (and the test was not skipped)");
    }

    /**
     * Lets go any reader still blocked in opening one of the pipes: opened to read and write, a pipe opens at once
     * (Linux) and counts as the writer the reader waits for; closed, the reader sees its end.
     */
    public void release() {
        for (Path f : made) {
            try (var ch = Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // opened and closed
            } catch (IOException | RuntimeException ignored) {
                // gone with the temp dir
            }
        }
    }
}
