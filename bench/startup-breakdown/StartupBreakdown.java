/**
 * Where a cold `cxpm list` spends its time after the JVM is up, step by step, with the trained class-data
 * archive in use (this class is appended to the archive's class path, so the archived classes still load
 * from it). Not part of cxpm: run by bench/startup-breakdown.sh.
 *
 * Without arguments: the steps in order, in one JVM (the machinery a cold command used to set up, then what
 * it does now instead). With one argument: only that step, so that
 * bench/startup-breakdown.sh can time each alone in a fresh JVM against a bare one ("hello"): what each would
 * cost a command that needed only it, and what removing it would save.
 */
public class StartupBreakdown {
    private static long t0;

    private static void lap(String what) {
        long t = System.nanoTime();
        System.out.printf("%-48s %6.1f ms%n", what, (t - t0) / 1e6);
        t0 = t;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            alone(args[0]);
            return;
        }
        t0 = System.nanoTime();
        Class<?> list = Class.forName("dev.cxpm.cli.codexhome.ListCommand");
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
        System.out.println("what the cold path does instead (QuickCommands, TomlTree, JsonText), in a JVM that did the above:");
        dev.cxpm.core.toml.TomlTree.read("[plugins.\"demo@fx\"]\nenabled = true\n");
        lap("TomlTree.read (config.toml's shapes by hand)");
        dev.cxpm.core.format.json.JsonText.compact(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("a", 1));
        lap("JsonText (a tree written without ObjectMapper)");
    }

    private static void alone(String step) throws Exception {
        switch (step) {
            case "hello" -> { }
            case "annotation" -> Class.forName("dev.cxpm.cli.codexhome.ListCommand").getAnnotation(picocli.CommandLine.Command.class);
            case "picocli-annotated" -> new picocli.CommandLine(Class.forName("dev.cxpm.cli.codexhome.ListCommand")).parseArgs("--json");
            case "picocli-programmatic" -> { // the same command built without annotations or reflection
                picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.create()
                        .name("list").mixinStandardHelpOptions(true);
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("--json").arity("0").type(boolean.class)
                        .description("Print a JSON object.").build());
                new picocli.CommandLine(spec).parseArgs("--json");
            }
            case "date-format" -> new java.text.SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", java.util.Locale.US);
            case "object-mapper" -> new com.fasterxml.jackson.databind.ObjectMapper();
            case "toml-read" -> new com.fasterxml.jackson.dataformat.toml.TomlMapper().readTree("[plugins.\"demo@fx\"]\nenabled = true\n");
            case "toml-tree" -> dev.cxpm.core.toml.TomlTree.read("[plugins.\"demo@fx\"]\nenabled = true\n");
            case "json-text" -> dev.cxpm.core.format.json.JsonText.compact(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("a", 1));
            case "list" -> dev.cxpm.cli.Main.main(new String[] {"list"}); // parsed by QuickCommands, no picocli
            case "list-picocli" -> dev.cxpm.cli.Main.main(new String[] {"list", "--debug"}); // --debug: parsed by picocli
            default -> throw new IllegalArgumentException(step);
        }
    }
}
