/**
 * Where a cold `cxpm list` spends its time after the JVM is up, step by step, with the trained class-data
 * archive in use (this class is appended to the archive's class path, so the archived classes still load
 * from it). Not part of cxpm: run by bench/startup-breakdown.sh.
 */
public class StartupBreakdown {
    private static long t0;

    private static void lap(String what) {
        long t = System.nanoTime();
        System.out.printf("%-48s %6.1f ms%n", what, (t - t0) / 1e6);
        t0 = t;
    }

    public static void main(String[] args) throws Exception {
        t0 = System.nanoTime();
        Class<?> list = Class.forName("dev.cxpm.cli.ListCommand");
        lap("load ListCommand (archived)");
        list.getAnnotation(picocli.CommandLine.Command.class);
        lap("first annotation read (proxy spun at run time)");
        picocli.CommandLine cl = new picocli.CommandLine(list);
        lap("picocli's model of `list`");
        cl.parseArgs("--json");
        lap("parse `--json`");
        new com.fasterxml.jackson.databind.ObjectMapper();
        lap("first Jackson ObjectMapper");
        com.fasterxml.jackson.dataformat.toml.TomlMapper toml = new com.fasterxml.jackson.dataformat.toml.TomlMapper();
        lap("TomlMapper");
        toml.readTree("[plugins.\"demo@fx\"]\nenabled = true\n");
        lap("first TOML read");
    }
}
