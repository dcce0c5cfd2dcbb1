package dev.cxpm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs the real {@code cxpm} main in-process against a temp dir and captures what it printed. */
public record CliRun(int exitCode, String stdout, String stderr) {

    public static CliRun in(Path cwd, String... args) {
        return in(cwd, Map.of(), args);
    }

    public static CliRun in(Path cwd, Map<String, String> vars, String... args) {
        return in(cwd, vars, Env.Stderr.OTHER, Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC), args);
    }

    /** As a shell whose stderr is (or is not) a terminal would run it, with this clock. */
    public static CliRun in(Path cwd, Map<String, String> vars, Env.Stderr stderr, Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(vars);
        env.putIfAbsent("HOME", cwd.resolve("home").toString());
        env.putIfAbsent("PATH", System.getenv("PATH"));
        Env e = new Env(env, cwd, new PrintWriter(out, true), new PrintWriter(err, true), clock, stderr);
        int code = Main.run(e, args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
