package dev.cxpm.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a command takes from outside the process: environment variables, working directory,
 * output streams and the clock. Passed in so tests run the real commands in a temp dir.
 */
public record Env(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err, Clock clock) {

    public Env {
        vars = withCallersPath(vars, cwd);
    }

    /**
     * Relative PATH entries are the caller's directory's, as in their shell: made absolute once here, so
     * that no lookup (git, prerequisites) and no subprocess resolves them against the JVM's directory,
     * which in the warm daemon is not the caller's.
     */
    private static Map<String, String> withCallersPath(Map<String, String> vars, Path cwd) {
        String path = vars.get("PATH");
        if (path == null) {
            return vars;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator, -1)) {
            entries.add(entry.isEmpty() || entry.startsWith("/") ? entry : cwd.resolve(entry).normalize().toString());
        }
        String absolute = String.join(File.pathSeparator, entries);
        if (absolute.equals(path)) {
            return vars;
        }
        Map<String, String> out = new LinkedHashMap<>(vars);
        out.put("PATH", absolute);
        return Collections.unmodifiableMap(out);
    }

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
