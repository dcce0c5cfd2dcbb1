package dev.cxpm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a command takes from outside the process: environment variables, working directory,
 * output streams and the clock. Passed in so tests run the real commands in a temp dir.
 */
public record Env(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err, Clock clock) {

    public static Env system() {
        return new Env(System.getenv(), PathNames.processDirectory(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true), Clock.systemUTC());
    }

    /** A path the user typed, resolved against the working directory. */
    public Path resolve(String userPath) {
        return cwd.resolve(userPath).normalize();
    }

    public String var(String name) {
        return vars.get(name);
    }
}
